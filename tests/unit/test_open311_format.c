/* Open311 output formats: the XML shapes the GeoReport v2 spec shows. */
#include "check.h"
#include "api/open311_format.h"

#include <stdlib.h>

int main(void)
{
    char name[64];
    enum open311_format f;
    CHECK(open311_split_format("services.json", name, sizeof name, &f) == 0 && f == OPEN311_JSON);
    CHECK_STR(name, "services");
    CHECK(open311_split_format("requests.xml", name, sizeof name, &f) == 0 && f == OPEN311_XML);
    CHECK_STR(name, "requests");
    CHECK_INT(open311_split_format("services.csv", name, sizeof name, &f), -1);
    CHECK_INT(open311_split_format("services", name, sizeof name, &f), -1);
    CHECK_INT(open311_split_format(".json", name, sizeof name, &f), -1);

    json_t *v = json_loads("[{\"service_code\":\"lighting\",\"service_name\":\"Φωτισμός <& \\\"\","
                           "\"metadata\":true,\"keywords\":null,"
                           "\"attributes\":[{\"code\":\"a\",\"order\":1,"
                           "\"values\":[{\"key\":\"x\",\"name\":\"X\"}]}]}]",
                           0, NULL);
    char *xml = open311_render(v, "services", OPEN311_XML);
    CHECK_STR(xml, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                   "<services><service><service_code>lighting</service_code>"
                   "<service_name>Φωτισμός &lt;&amp; &quot;</service_name>"
                   "<metadata>true</metadata><keywords/>"
                   "<attributes><attribute><code>a</code><order>1</order>"
                   "<values><value><key>x</key><name>X</name></value></values>"
                   "</attribute></attributes></service></services>\n");
    free(xml);
    char *json = open311_render(v, "services", OPEN311_JSON);
    CHECK(json && json[0] == '[');
    free(json);
    json_decref(v);

    json_t *bad = json_pack("[{s:i,s:s}]", "code", 400, "description", "a\x01z");
    xml = open311_render(bad, "errors", OPEN311_XML);
    CHECK(xml && strstr(xml, "<errors><error><code>400</code><description>az</description>"));
    free(xml);
    json_decref(bad);
    return check_summary();
}
