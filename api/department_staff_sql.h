/* The staff of one department, for the pages' "assign to a colleague". */
#ifndef POLIS_DEPARTMENT_STAFF_SQL_H
#define POLIS_DEPARTMENT_STAFF_SQL_H

/* The department of the served municipality named by its id or its code,
 * if the caller may see it (an admin, or staff of it): one row, else none
 * (unknown, or another's department: the same 404). Its staff are the
 * users of the department whose role is still staff or admin (a member
 * demoted to citizen is no longer one), by name. */
enum department_staff_param {
    DEPARTMENT_STAFF_P_KEY,          /* text: the department's id or code */
    DEPARTMENT_STAFF_P_MUNICIPALITY, /* text: the served municipality's code */
    DEPARTMENT_STAFF_P_ADMIN,        /* boolean: the caller is an admin */
    DEPARTMENT_STAFF_P_DEPARTMENTS,  /* bigint[]: the caller's departments */
    DEPARTMENT_STAFF_NPARAMS
};
static const char DEPARTMENT_STAFF_SQL[] =
    "SELECT coalesce((SELECT jsonb_agg(jsonb_build_object('id', u.id,"
    "           'name', coalesce(u.display_name, u.email))"
    "         ORDER BY coalesce(u.display_name, u.email::text), u.id)"
    "     FROM user_departments ud JOIN users u ON u.id = ud.user_id"
    "     WHERE ud.department_id = dp.id AND u.role IN ('staff', 'admin')), '[]')::text"
    " FROM departments dp JOIN boundaries b ON b.id = dp.municipality_id"
    " WHERE b.level = 'municipality' AND b.code = $2"
    "   AND (dp.id::text = $1 OR dp.code = $1)"
    "   AND ($3::boolean OR dp.id = ANY ($4::bigint[]))";
enum department_staff_col {
    DEPARTMENT_STAFF_LIST, /* json array of {id, name} */
};

#endif
