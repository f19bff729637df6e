#include "tiles/vector_layers.h"

void tile_vector_layers_append(json_t *list, const struct tile_layer *l)
{
    if (l->nparts) {
        for (int i = 0; i < l->nparts; i++)
            tile_vector_layers_append(list, &l->parts[i]);
        return;
    }
    json_t *fields = json_object();
    for (int i = 0; i < l->nfields; i++)
        json_object_set_new(fields, l->fields[i].column, json_string(l->fields[i].type));
    json_array_append_new(list, json_pack("{s:s,s:s,s:o,s:i,s:i,s:i}", "id", l->name,
                                          "description", l->description, "fields", fields,
                                          "minzoom", l->minzoom, "maxzoom", l->maxzoom,
                                          "polis:feature_limit", l->feature_limit));
}
