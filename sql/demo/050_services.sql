-- DEMO DATA, not real: e-services of the served municipality
-- (current_setting('polis.municipality'), set by `polis demo load`),
-- handled by the demo departments (010_departments.sql). Three
-- certificates whose answer polis generates and two permits whose answer
-- staff upload. Every row has demo = true. A real municipality enters its
-- own services, forms, documents and processing times. Safe to run again:
-- rows are matched on (municipality, code) and updated.
-- fields follow the report categories' definitions (server checks them);
-- documents are {code, name_el, name_en, types, max_kb, required}.

INSERT INTO services (municipality_id, code, title_el, title_en, description_el, description_en,
                      department_id, fields, documents, applicants, target_hours, answer_kind,
                      demo)
SELECT b.id, s.code, s.title_el, s.title_en, s.description_el, s.description_en, d.id,
       s.fields::jsonb, s.documents::jsonb, s.applicants, s.target_hours, s.answer_kind, true
FROM boundaries b
CROSS JOIN (VALUES
    ('family_status', 'Πιστοποιητικό οικογενειακής κατάστασης', 'Family status certificate',
     'Πιστοποιητικό με τα μέλη της οικογένειας όπως είναι γραμμένα στο δημοτολόγιο.',
     'A certificate of the family members as the municipal registry lists them.',
     'citizen_services',
     '[{"code":"purpose","datatype":"singlevaluelist","required":true,"order":1,
        "description_el":"Για χρήση σε","description_en":"To be used for",
        "values":[{"key":"public_sector","name_el":"Δημόσια υπηρεσία","name_en":"A public office"},
                  {"key":"bank","name_el":"Τράπεζα","name_en":"A bank"},
                  {"key":"abroad","name_el":"Εξωτερικό","name_en":"Abroad"},
                  {"key":"other","name_el":"Άλλο","name_en":"Other"}]},
       {"code":"copies","datatype":"number","required":false,"order":2,
        "description_el":"Αριθμός αντιγράφων","description_en":"Number of copies"}]',
     '[{"code":"id_card","name_el":"Αστυνομική ταυτότητα","name_en":"Identity card",
        "types":["pdf","jpeg","png"],"max_kb":5120,"required":true}]',
     'citizen', 48, 'generated'),
    ('permanent_residence', 'Βεβαίωση μόνιμης κατοικίας', 'Permanent residence certificate',
     'Βεβαίωση ότι ο αιτών κατοικεί μόνιμα στον δήμο, στη διεύθυνση που δηλώνει.',
     'A certificate that the applicant lives permanently in the municipality, at the address given.',
     'citizen_services',
     '[{"code":"address","datatype":"string","required":true,"order":1,
        "description_el":"Διεύθυνση κατοικίας","description_en":"Home address"},
       {"code":"years_at_address","datatype":"number","required":true,"order":2,
        "description_el":"Έτη στη διεύθυνση","description_en":"Years at this address"}]',
     '[{"code":"utility_bill","name_el":"Λογαριασμός ΔΕΚΟ","name_en":"A utility bill",
        "types":["pdf","jpeg","png"],"max_kb":5120,"required":true}]',
     'citizen', 72, 'generated'),
    ('no_debts', 'Βεβαίωση μη οφειλής προς τον δήμο', 'Certificate of no debts to the municipality',
     'Βεβαίωση ότι ο αιτών δεν οφείλει τέλη, πρόστιμα ή άλλα ποσά στον δήμο.',
     'A certificate that the applicant owes the municipality no fees, fines or other sums.',
     'citizen_services',
     '[{"code":"purpose","datatype":"string","required":true,"order":1,
        "description_el":"Για ποιον λόγο τη ζητάτε","description_en":"What you need it for"}]',
     '[]',
     'any', 48, 'generated'),
    ('tree_cutting', 'Άδεια κοπής δέντρου', 'Tree cutting permit',
     'Άδεια για την κοπή ή την εκρίζωση δέντρου σε ιδιωτικό χώρο, μετά από αυτοψία του τμήματος πρασίνου.',
     'A permit to cut down or uproot a tree on private land, after the parks department has seen it.',
     'greenery',
     '[{"code":"address","datatype":"string","required":true,"order":1,
        "description_el":"Διεύθυνση του ακινήτου","description_en":"Address of the property"},
       {"code":"tree_count","datatype":"number","required":true,"order":2,
        "description_el":"Αριθμός δέντρων","description_en":"Number of trees"},
       {"code":"reason","datatype":"text","required":true,"order":3,
        "description_el":"Λόγος κοπής","description_en":"Why the tree must go"}]',
     '[{"code":"photo","name_el":"Φωτογραφία του δέντρου","name_en":"Photo of the tree",
        "types":["jpeg","png"],"max_kb":8192,"required":true},
       {"code":"title_deed","name_el":"Τίτλος ιδιοκτησίας","name_en":"Title deed",
        "types":["pdf"],"max_kb":10240,"required":false}]',
     'any', 240, 'uploaded'),
    ('public_space_use', 'Άδεια χρήσης κοινόχρηστου χώρου', 'Use of public space',
     'Άδεια για τραπεζοκαθίσματα, σκαλωσιές ή εκδηλώσεις σε πεζοδρόμιο, πλατεία ή δρόμο.',
     'A permit for tables and chairs, scaffolding or an event on a pavement, square or street.',
     'technical_works',
     '[{"code":"address","datatype":"string","required":true,"order":1,
        "description_el":"Θέση","description_en":"Location"},
       {"code":"area_m2","datatype":"number","required":true,"order":2,
        "description_el":"Εμβαδόν (τ.μ.)","description_en":"Area (square metres)"},
       {"code":"use","datatype":"singlevaluelist","required":true,"order":3,
        "description_el":"Χρήση","description_en":"Use",
        "values":[{"key":"tables_chairs","name_el":"Τραπεζοκαθίσματα","name_en":"Tables and chairs"},
                  {"key":"scaffolding","name_el":"Σκαλωσιά","name_en":"Scaffolding"},
                  {"key":"event","name_el":"Εκδήλωση","name_en":"Event"}]},
       {"code":"starts","datatype":"datetime","required":true,"order":4,
        "description_el":"Από","description_en":"From"},
       {"code":"ends","datatype":"datetime","required":true,"order":5,
        "description_el":"Έως","description_en":"Until"}]',
     '[{"code":"layout_plan","name_el":"Τοπογραφικό διάγραμμα","name_en":"Layout plan",
        "types":["pdf"],"max_kb":10240,"required":true},
       {"code":"insurance","name_el":"Ασφαλιστήριο αστικής ευθύνης","name_en":"Liability insurance",
        "types":["pdf"],"max_kb":5120,"required":true}]',
     'business', 360, 'uploaded')
) AS s (code, title_el, title_en, description_el, description_en, department, fields, documents,
        applicants, target_hours, answer_kind)
JOIN departments d ON d.code = s.department
WHERE b.level = 'municipality'
  AND b.code = current_setting('polis.municipality')
  AND d.municipality_id = b.id
ON CONFLICT (municipality_id, code) DO UPDATE
    SET title_el = EXCLUDED.title_el, title_en = EXCLUDED.title_en,
        description_el = EXCLUDED.description_el, description_en = EXCLUDED.description_en,
        department_id = EXCLUDED.department_id, fields = EXCLUDED.fields,
        documents = EXCLUDED.documents, applicants = EXCLUDED.applicants,
        target_hours = EXCLUDED.target_hours, answer_kind = EXCLUDED.answer_kind,
        demo = true, updated_at = now();
