/* SQL on notification preferences (sql/025_notification_preferences.sql):
 * per user and per kind, whether a notification is also mailed (off,
 * immediate, daily digest). The mailbox always gets it. Staff-only kinds
 * (their department's new reports) exist only for staff and admins. */
#ifndef POLIS_NOTIFICATION_PREFERENCES_SQL_H
#define POLIS_NOTIFICATION_PREFERENCES_SQL_H

/* $1 user id, $2 staff (boolean). One row. */
extern const char NOTIFICATION_PREFS_LIST_SQL[];
enum notification_prefs_list_param {
    NOTIFICATION_PREFS_LIST_P_USER_ID,
    NOTIFICATION_PREFS_LIST_P_STAFF,
    NOTIFICATION_PREFS_LIST_NPARAMS
};
enum notification_prefs_list_col {
    NOTIFICATION_PREFS_LIST_BODY, /* {"items": [{kind, label_el, label_en, mailbox, email,
                                   *   default_email}]} in the kinds' order */
};

/* $1 user id, $2 staff (boolean), $3 kinds (text[]), $4 e-mail modes
 * (text[], one per kind, each off|immediate|daily). Stores nothing unless
 * every kind is one this user has. One row. */
extern const char NOTIFICATION_PREFS_SET_SQL[];
enum notification_prefs_set_param {
    NOTIFICATION_PREFS_SET_P_USER_ID,
    NOTIFICATION_PREFS_SET_P_STAFF,
    NOTIFICATION_PREFS_SET_P_KINDS,
    NOTIFICATION_PREFS_SET_P_EMAILS,
    NOTIFICATION_PREFS_SET_NPARAMS
};
enum notification_prefs_set_col {
    NOTIFICATION_PREFS_SET_UNKNOWN, /* text[] of the kinds given that the user has not; '{}' */
    NOTIFICATION_PREFS_SET_KNOWN,   /* text: the kinds the user has, comma-separated */
    NOTIFICATION_PREFS_SET_BODY,    /* the list as NOTIFICATION_PREFS_LIST_BODY, after the
                                     * change (NULL when nothing was stored) */
};


/* One-click unsubscribe (sql/027, api/unsubscribe.c): $1 is the token from
 * the mailed URL. FIND reads what an unused token would stop (no row:
 * unknown or used); UNSUBSCRIBE uses it up and stops that: its kind set to
 * off, for a digest's token every kind mailed daily, or an anonymous
 * report's mail. One row each. */
extern const char UNSUBSCRIBE_FIND_SQL[];
enum unsubscribe_find_col {
    UNSUBSCRIBE_FIND_ANONYMOUS, /* boolean: the token stops an anonymous report's mail */
};
extern const char UNSUBSCRIBE_SQL[];
enum unsubscribe_col {
    UNSUBSCRIBE_USED,    /* 1 when the token was unused (and now is used), else 0 */
    UNSUBSCRIBE_KINDS,   /* kinds turned off */
    UNSUBSCRIBE_REPORTS, /* anonymous reports whose mail stopped */
};

#endif
