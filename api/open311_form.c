#include "api/open311_form.h"

#include <string.h>

const char *open311_form_unexpected(const struct params *form)
{
    static const char *const known_names[] = {
        "api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string",
        "address_id", "email", "device_id", "account_id", "first_name", "last_name", "phone",
        "description", "media_url", NULL};
    for (int i = 0; i < form->n; i++) {
        const char *name = form->items[i].name;
        int known = !strncmp(name, "attribute[", 10), repeated = 0;
        for (int k = 0; known_names[k] && !known; k++)
            known = !strcmp(name, known_names[k]);
        for (int j = 0; j < i; j++)
            repeated |= !strcmp(name, form->items[j].name);
        if (!known || (repeated && !strstr(name, "[]")))
            return name;
    }
    return NULL;
}

json_t *open311_form_attributes(const struct params *form, const json_t *fields)
{
    json_t *answers = json_object();
    for (int i = 0; i < form->n; i++) {
        const char *name = form->items[i].name, *value = form->items[i].value;
        if (strncmp(name, "attribute[", 10))
            continue;
        char code[64];
        size_t len = strcspn(name + 10, "]");
        if (len == 0 || len >= sizeof code)
            continue;
        memcpy(code, name + 10, len);
        code[len] = '\0';
        const char *datatype = "string";
        size_t k;
        json_t *f;
        json_array_foreach(fields, k, f)
            if (!strcmp(json_string_value(json_object_get(f, "code")) ?: "", code))
                datatype = json_string_value(json_object_get(f, "datatype")) ?: "string";
        json_t *v;
        double d;
        if (!strcmp(datatype, "number") && parse_decimal(value, &d) == 0)
            v = json_real(d);
        else
            v = json_string(value) ?: json_string("");
        if (!strcmp(datatype, "multivaluelist")) {
            json_t *list = json_object_get(answers, code);
            if (!list)
                json_object_set_new(answers, code, list = json_array());
            json_array_append_new(list, v);
        } else {
            json_object_set_new(answers, code, v);
        }
    }
    return answers;
}
