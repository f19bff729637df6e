/* SQL of a layer download (api/layer_download.c): the catalogue row of the
 * layer as the caller may see it, and whether PostGIS knows the asked CRS. */
#ifndef POLIS_LAYER_DOWNLOAD_SQL_H
#define POLIS_LAYER_DOWNLOAD_SQL_H

/* No row when there is no such layer or it is staff-only and the caller is
 * not staff (the same 404). */
extern const char LAYER_DOWNLOAD_SQL[];
enum layer_download_param {
    LAYER_DOWNLOAD_P_NAME,
    LAYER_DOWNLOAD_P_STAFF, /* 't' for staff and admins */
    LAYER_DOWNLOAD_P_SRID,  /* the output CRS's EPSG code */
    LAYER_DOWNLOAD_NPARAMS
};
enum layer_download_col {
    LAYER_DOWNLOAD_NAME,
    LAYER_DOWNLOAD_ATTRIBUTES, /* the catalogue's attribute array, JSON text */
    LAYER_DOWNLOAD_CRS_KNOWN,  /* 't' when spatial_ref_sys has the srid */
};

#endif
