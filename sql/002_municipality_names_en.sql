-- English names of municipalities, used by the boundaries importer for
-- name_en instead of the ELOT 743 transliteration ("Dimos Serron") where a
-- name in common English use exists. `code` is matched against the
-- boundary's natural key: the ministry code (KWD_YPES), or the source name
-- for the one area without a code (Mount Athos, NAME 'Άθως').
-- Names written for this project; re-running the importer picks up edits.

CREATE TABLE municipality_names_en (
    code    text PRIMARY KEY,
    name_en text NOT NULL CHECK (name_en <> '')
);

INSERT INTO municipality_names_en (code, name_en) VALUES
    -- Central Macedonia: Imathia
    ('9023', 'Alexandreia'),
    ('9024', 'Veria'),
    ('9025', 'Naousa'),
    -- Thessaloniki
    ('9026', 'Ampelokipoi-Menemeni'),
    ('9027', 'Volvi'),
    ('9028', 'Delta'),
    ('9029', 'Thermaikos'),
    ('9030', 'Thermi'),
    ('9031', 'Thessaloniki'),
    ('9032', 'Kalamaria'),
    ('9033', 'Kordelio-Evosmos'),
    ('9034', 'Langadas'),
    ('9035', 'Neapoli-Sykies'),
    ('9036', 'Pavlos Melas'),
    ('9037', 'Pylaia-Chortiatis'),
    ('9038', 'Chalkidona'),
    ('9039', 'Oraiokastro'),
    -- Kilkis
    ('9040', 'Kilkis'),
    ('9041', 'Paionia'),
    -- Pella
    ('9042', 'Almopia'),
    ('9043', 'Edessa'),
    ('9044', 'Pella'),
    ('9045', 'Skydra'),
    -- Pieria
    ('9046', 'Dion-Olympos'),
    ('9047', 'Katerini'),
    ('9048', 'Pydna-Kolindros'),
    -- Serres
    ('9049', 'Amphipolis'),
    ('9050', 'Visaltia'),
    ('9051', 'Emmanouil Pappas'),
    ('9052', 'Irakleia'),
    ('9053', 'Nea Zichni'),
    ('9054', 'Serres'),
    ('9055', 'Sintiki'),
    -- Chalkidiki
    ('9056', 'Aristotelis'),
    ('9057', 'Kassandra'),
    ('9058', 'Nea Propontida'),
    ('9059', 'Polygyros'),
    ('9060', 'Sithonia'),
    -- other well-known municipalities (codes checked against the data)
    ('9002', 'Drama'),
    ('9006', 'Alexandroupoli'),
    ('9012', 'Kavala'),
    ('9017', 'Xanthi'),
    ('9021', 'Komotini'),
    ('9063', 'Kastoria'),
    ('9068', 'Kozani'),
    ('9072', 'Florina'),
    ('9084', 'Ioannina'),
    ('9100', 'Larissa'),
    ('9105', 'Volos'),
    ('9114', 'Trikala'),
    ('9118', 'Corfu'),
    ('9134', 'Patras'),
    ('9155', 'Chalkida'),
    ('9160', 'Lamia'),
    ('9186', 'Athens'),
    ('9205', 'Piraeus'),
    ('9236', 'Nafplio'),
    ('9254', 'Kalamata'),
    ('9266', 'Chios'),
    ('9268', 'Andros'),
    ('9290', 'Mykonos'),
    ('9296', 'Rhodes'),
    ('9305', 'Heraklion'),
    ('9318', 'Rethymno'),
    ('9325', 'Chania'),
    ('Άθως', 'Mount Athos');
