/* The report statuses (sql/022_report_status_open.sql): the one list of
 * statuses with their order, labels and whether they are open. SQL asks
 * report_status_is_open(status); the pages read it through the API. */
#ifndef POLIS_REPORT_STATUSES_SQL_H
#define POLIS_REPORT_STATUSES_SQL_H

/* No parameters. One row. */
extern const char REPORT_STATUSES_SQL[];
enum report_statuses_col {
    REPORT_STATUSES_LIST, /* json array of {name, open, label_el, label_en}, in workflow order */
};

#endif
