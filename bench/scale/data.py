"""Word lists for realistic French data (synthetic: no real person is described)."""

LAST_NAMES = """MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL
LEFEBVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE ROUSSEAU
VINCENT MULLER LEFEVRE FAURE ANDRE MERCIER BLANC GUERIN BOYER GARNIER CHEVALIER FRANCOIS LEGRAND
GAUTHIER GARCIA PERRIN ROBIN CLEMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU GAUTIER MASSON MARCHAND
DUVAL DENIS DUMONT MARIE LEMAIRE NOEL MEYER DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY RIVIERE
LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GERARD ROCHE RENARD SCHMITT ROY LEROUX COLIN VIDAL
CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE
BENOIT REY LECLERC PAYET ROLLAND LECLERCQ GUILLAUME LECOMTE LOPEZ JEAN DUPUY GUILLOT HUBERT BERGER
CARPENTIER SANCHEZ DUPUIS MOULIN LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER FLEURY ROYER KLEIN
JACQUET ADAM PARIS POIRIER MARTY AUBRY GUYOT CARRE CHARLES RENAULT CHARPENTIER MENARD MAILLARD
BARON BERTIN BAILLY HERVE SCHNEIDER FERNANDEZ LECOQ COLLET LEGER BOUVIER JULIEN PREVOST MILLET
PERROT DANIEL COUSIN GERMAIN BRETON BESSON LANGLOIS REMY PELLETIER LEVEQUE PERRIER LEBLANC BARRE
LEBRUN MARCHAL WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD RODRIGUEZ GUICHARD GILLET
ETIENNE GRONDIN POULAIN TESSIER CHEVALLIER COLLIN CHAUVIN DA_SILVA BOUCHET GAY LEMAITRE BENARD
MARECHAL HUMBERT REYNAUD ANTOINE HOARAU PERRET BARTHELEMY CORDIER PICHON LEJEUNE GILBERT LAMY
DELAUNAY PASQUIER CARLIER LAPORTE BENALI HADDAD DIALLO TRAORE NGUYEN OUALI BOUAZIZ KONE CISSE
MEZIANE SAIDI YILMAZ SANTOS FERREIRA""".replace("_", " ").split()

FIRST_NAMES_F = """Marie Nathalie Isabelle Sylvie Catherine Martine Christine Françoise Valérie Sandrine
Stéphanie Véronique Sophie Céline Chantal Patricia Anne Brigitte Julie Monique Aurélie Nicole
Laurence Émilie Annie Caroline Camille Léa Manon Chloé Inès Jade Louise Emma Lina Sarah Yasmine
Fatima Aïcha Amina Nadia Samira Leïla Océane Pauline Mélanie Laura Jeanne Alice Zoé""".split()  # noqa: SIM905

FIRST_NAMES_M = """Jean Michel Philippe Alain Patrick Nicolas Christophe Pierre Christian Éric Frédéric
Laurent Stéphane David Pascal Daniel Sébastien Julien Thierry Olivier Bernard Thomas Alexandre
Gérard Didier Dominique Vincent François Bruno Guillaume Jérôme Jacques Marc Serge André Lucas
Hugo Louis Gabriel Arthur Jules Adam Raphaël Mohamed Karim Mehdi Youssef Rachid Samir Ibrahima
Mamadou Kevin Anthony""".split()  # noqa: SIM905

# (commune, INSEE code, postal code, EPCI SIREN, EPCI name)
COMMUNES = [
    ("Metz", "57463", "57000", "200039709", "Eurométropole de Metz"),
    ("Montigny-lès-Metz", "57480", "57950", "200039709", "Eurométropole de Metz"),
    ("Woippy", "57751", "57140", "200039709", "Eurométropole de Metz"),
    ("Thionville", "57672", "57100", "245701404", "CA Portes de France-Thionville"),
    ("Yutz", "57757", "57970", "245701404", "CA Portes de France-Thionville"),
    ("Hayange", "57306", "57700", "200039410", "CA du Val de Fensch"),
    ("Forbach", "57227", "57600", "245700398", "CA Forbach Porte de France"),
    ("Sarreguemines", "57631", "57200", "200070027", "CA Sarreguemines Confluences"),
    ("Saint-Avold", "57606", "57500", "200067502", "CA Saint-Avold Synergie"),
    ("Nancy", "54395", "54000", "245400676", "Métropole du Grand Nancy"),
    ("Vandœuvre-lès-Nancy", "54547", "54500", "245400676", "Métropole du Grand Nancy"),
    ("Laxou", "54304", "54520", "245400676", "Métropole du Grand Nancy"),
    ("Lunéville", "54329", "54300", "200070332", "CC du Territoire de Lunéville à Baccarat"),
    ("Toul", "54528", "54200", "245400262", "CC Terres Touloises"),
    ("Longwy", "54323", "54400", "200070126", "CA de Longwy"),
    ("Épinal", "88160", "88000", "200068500", "CA d'Épinal"),
    ("Saint-Dié-des-Vosges", "88413", "88100", "200068468", "CA de Saint-Dié-des-Vosges"),
    ("Bar-le-Duc", "55029", "55000", "200066553", "CA Bar-le-Duc Sud Meuse"),
    ("Verdun", "55545", "55100", "200066389", "CA du Grand Verdun"),
    ("Strasbourg", "67482", "67000", "246700488", "Eurométropole de Strasbourg"),
    ("Schiltigheim", "67447", "67300", "246700488", "Eurométropole de Strasbourg"),
    ("Illkirch-Graffenstaden", "67218", "67400", "246700488", "Eurométropole de Strasbourg"),
    ("Haguenau", "67180", "67500", "200067213", "CA de Haguenau"),
    ("Colmar", "68066", "68000", "246800726", "Colmar Agglomération"),
    ("Mulhouse", "68224", "68100", "200066009", "Mulhouse Alsace Agglomération"),
    ("Reims", "51454", "51100", "200067213", "CU du Grand Reims"),
    ("Châlons-en-Champagne", "51108", "51000", "200066637", "CA de Châlons-en-Champagne"),
    ("Troyes", "10387", "10000", "200069250", "Troyes Champagne Métropole"),
    ("Charleville-Mézières", "08105", "08000", "200041630", "Ardenne Métropole"),
    ("Chaumont", "52121", "52000", "200068658", "CA de Chaumont"),
]

TERRITORY_NAMES = [
    "Metz Métropole",
    "Nord Mosellan",
    "Bassin houiller",
    "Grand Nancy",
    "Sud Lorraine",
    "Vosges",
    "Meuse",
    "Bas-Rhin",
    "Haut-Rhin",
    "Champagne",
    "Ardennes",
    "Haute-Marne",
]

STREETS = """rue de la Paix|rue Victor Hugo|avenue Jean Jaurès|rue Pasteur|rue des Jardins|boulevard de
la République|rue du Général de Gaulle|allée des Tilleuls|rue des Acacias|rue Jean Moulin|rue de
la Gare|place de l'Église|rue des Écoles|avenue de Lorraine|rue Émile Zola|rue Gambetta|rue des
Lilas|chemin des Vignes|rue du Moulin|rue Anatole France|allée des Peupliers|rue Saint-Nicolas|rue
de Verdun|rue des Roses|avenue Foch""".replace("\n", " ").split("|")

RESIDENCE_WORDS = """Les Tilleuls|Les Acacias|Le Parc|Les Coteaux|La Roseraie|Les Érables|Bellevue|Les
Marronniers|Le Clos|Les Hauts de Seille|La Grange aux Bois|Le Sablon|Borny|Patrotte|Les Saules|Le
Plateau|Les Provinces|Haut du Lièvre|Les Vergers|Le Pontiffroy|La Chênaie|Beausoleil|Les Cerisiers|Le
Bourg|Les Peupliers|Le Moulin|Les Charmilles|Le Belvédère|Les Capucins|La Corvée""".replace(
    "\n", " "
).split("|")

PARTNERS = [
    ("Préfecture — contingent préfectoral", "prefecture"),
    ("Action Logement Services", "action_logement"),
    ("CAF", "caf_msa"),
    ("MDPH", "mdph"),
    ("CARSAT", "carsat"),
    ("Conseil départemental — FSL", "departement"),
    ("SIAO", "siao"),
    ("Association Accueil et Réinsertion Sociale", "association"),
    ("Association Habitat et Humanisme", "association"),
    ("Association AIEM", "association"),
    ("Association Amli", "association"),
    ("Association Le Relais", "association"),
]
