-- DEMO DATA, not real: typical departments of a Greek municipality, created
-- for the served municipality (current_setting('polis.municipality'), set
-- by `polis demo load`). A real municipality enters its own departments,
-- e-mail addresses and phone numbers. Safe to run again: rows are matched
-- on (municipality, code) and updated.

INSERT INTO departments (municipality_id, code, name_el, name_en)
SELECT b.id, d.code, d.name_el, d.name_en
FROM boundaries b
CROSS JOIN (VALUES
    ('cleaning',         'Τμήμα Καθαριότητας',                          'Cleaning and Waste Collection'),
    ('greenery',         'Τμήμα Πρασίνου',                              'Parks and Green Spaces'),
    ('lighting',         'Τμήμα Ηλεκτροφωτισμού',                       'Street Lighting'),
    ('technical_works',  'Διεύθυνση Τεχνικών Υπηρεσιών',                'Technical Services (Roads and Public Works)'),
    ('water_sewage',     'ΔΕΥΑ - Ύδρευση και Αποχέτευση',               'Water Supply and Sewerage (DEYA)'),
    ('stray_animals',    'Τμήμα Κτηνιατρικής και Αδέσποτων Ζώων',       'Veterinary Services and Stray Animals'),
    ('civil_protection', 'Γραφείο Πολιτικής Προστασίας',                'Civil Protection'),
    ('tourism',          'Τμήμα Τουρισμού',                             'Tourism'),
    ('citizen_services', 'Τμήμα Εξυπηρέτησης Πολιτών (ΚΕΠ)',            'Citizen Services (KEP) and Certificates')
) AS d (code, name_el, name_en)
WHERE b.level = 'municipality'
  AND b.code = current_setting('polis.municipality')
ON CONFLICT (municipality_id, code) DO UPDATE
    SET name_el = EXCLUDED.name_el,
        name_en = EXCLUDED.name_en;
