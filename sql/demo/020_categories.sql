-- DEMO DATA, not real: typical report categories of a Greek municipality,
-- routed to the demo departments (010_departments.sql) of the served
-- municipality (current_setting('polis.municipality'), set by `polis demo
-- load`). Safe to run again: rows are matched on (municipality, code) and
-- updated. fields follow Open311 attribute semantics (server checks them).

INSERT INTO report_categories (municipality_id, code, name_el, name_en, department_id, icon,
                               private, fields)
SELECT b.id, c.code, c.name_el, c.name_en, d.id, c.icon, c.private, c.fields::jsonb
FROM boundaries b
CROSS JOIN (VALUES
    ('cleaning', 'Καθαριότητα και απορρίμματα', 'Cleaning and rubbish', 'cleaning', 'trash',
     false, '[{"code":"bin_type","datatype":"singlevaluelist","required":false,"order":1,
       "description_el":"Τύπος κάδου","description_en":"Kind of bin",
       "values":[{"key":"general","name_el":"Γενικά απορρίμματα","name_en":"General waste"},
                 {"key":"recycling","name_el":"Ανακύκλωση","name_en":"Recycling"},
                 {"key":"bulky","name_el":"Ογκώδη","name_en":"Bulky items"}]}]'),
    ('greenery', 'Πράσινο και κλαδέματα', 'Greenery and pruning', 'greenery', 'tree',
     false, '[]'),
    ('street_lighting', 'Ηλεκτροφωτισμός', 'Street lighting', 'lighting', 'lightbulb',
     false, '[{"code":"pole_number","datatype":"string","required":false,"order":1,
       "description_el":"Αριθμός κολώνας","description_en":"Pole number"},
      {"code":"lamps_out","datatype":"number","required":false,"order":2,
       "description_el":"Πόσες λάμπες δεν ανάβουν","description_en":"How many lamps are out"}]'),
    ('roads', 'Οδοστρώματα και πεζοδρόμια', 'Roads and pavements', 'technical_works', 'road',
     false, '[]'),
    ('water_sewage', 'Ύδρευση και αποχέτευση', 'Water and sewage', 'water_sewage', 'water',
     false, '[{"code":"kind","datatype":"singlevaluelist","required":true,"order":1,
       "description_el":"Είδος προβλήματος","description_en":"Kind of problem",
       "values":[{"key":"leak","name_el":"Διαρροή","name_en":"Leak"},
                 {"key":"no_water","name_el":"Διακοπή νερού","name_en":"No water"},
                 {"key":"sewage","name_el":"Αποχέτευση","name_en":"Sewage"}]}]'),
    ('stray_animals', 'Αδέσποτα και χαμένα ζώα', 'Stray and lost pets', 'stray_animals', 'paw',
     false, '[{"code":"animal","datatype":"singlevaluelist","required":false,"order":1,
       "description_el":"Ζώο","description_en":"Animal",
       "values":[{"key":"dog","name_el":"Σκύλος","name_en":"Dog"},
                 {"key":"cat","name_el":"Γάτα","name_en":"Cat"},
                 {"key":"other","name_el":"Άλλο","name_en":"Other"}]}]'),
    ('incidents', 'Περιστατικά (ιδιωτικό)', 'Municipal incidents (private)', 'civil_protection',
     'alert', true, '[]'),
    ('tourism', 'Τουρισμός', 'Tourism', 'tourism', 'info', false, '[]'),
    ('other', 'Άλλο', 'Other', 'citizen_services', 'other', false, '[]')
) AS c (code, name_el, name_en, department, icon, private, fields)
JOIN departments d ON d.code = c.department
WHERE b.level = 'municipality'
  AND b.code = current_setting('polis.municipality')
  AND d.municipality_id = b.id
ON CONFLICT (municipality_id, code) DO UPDATE
    SET name_el = EXCLUDED.name_el,
        name_en = EXCLUDED.name_en,
        department_id = EXCLUDED.department_id,
        icon = EXCLUDED.icon,
        private = EXCLUDED.private,
        fields = EXCLUDED.fields,
        updated_at = now();
