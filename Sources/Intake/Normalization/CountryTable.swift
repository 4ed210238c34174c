/// ISO 3166-1: every officially assigned code (249) plus Kosovo's widely used user-assigned
/// `XK`, each with its alpha-3 code, English short name and the aliases that CRM exports and web
/// forms actually contain (native names, abbreviations, former names).
///
/// One line per country: `alpha-2|alpha-3|English name|alias|alias…`. Kept as text because a
/// table of 250 lines is easier to review and extend than 250 initializer calls.
enum CountryTable {
    static let text = """
    AD|AND|Andorra
    AE|ARE|United Arab Emirates|UAE|U.A.E.|Emirates|The Emirates
    AF|AFG|Afghanistan
    AG|ATG|Antigua and Barbuda|Antigua
    AI|AIA|Anguilla
    AL|ALB|Albania|Shqipëria|Shqiperia
    AM|ARM|Armenia|Hayastan
    AO|AGO|Angola
    AQ|ATA|Antarctica
    AR|ARG|Argentina
    AS|ASM|American Samoa
    AT|AUT|Austria|Österreich
    AU|AUS|Australia
    AW|ABW|Aruba
    AX|ALA|Åland Islands|Aland
    AZ|AZE|Azerbaijan
    BA|BIH|Bosnia and Herzegovina|Bosnia|Bosna i Hercegovina
    BB|BRB|Barbados
    BD|BGD|Bangladesh
    BE|BEL|Belgium|België|Belgique|Belgien
    BF|BFA|Burkina Faso
    BG|BGR|Bulgaria|България
    BH|BHR|Bahrain
    BI|BDI|Burundi
    BJ|BEN|Benin
    BL|BLM|Saint Barthélemy|St Barts|Saint Barts
    BM|BMU|Bermuda
    BN|BRN|Brunei Darussalam|Brunei
    BO|BOL|Bolivia|Bolivia (Plurinational State of)|Plurinational State of Bolivia
    BQ|BES|Bonaire, Sint Eustatius and Saba|Caribbean Netherlands|Bonaire
    BR|BRA|Brazil|Brasil
    BS|BHS|Bahamas
    BT|BTN|Bhutan
    BV|BVT|Bouvet Island
    BW|BWA|Botswana
    BY|BLR|Belarus|Byelorussia
    BZ|BLZ|Belize
    CA|CAN|Canada
    CC|CCK|Cocos (Keeling) Islands|Cocos Islands|Keeling Islands
    CD|COD|Congo, Democratic Republic of the|Democratic Republic of the Congo|DR Congo|DRC|Congo-Kinshasa|Zaire
    CF|CAF|Central African Republic
    CG|COG|Congo|Republic of the Congo|Congo-Brazzaville
    CH|CHE|Switzerland|Schweiz|Suisse|Svizzera|Svizra|Swiss Confederation
    CI|CIV|Côte d'Ivoire|Ivory Coast
    CK|COK|Cook Islands
    CL|CHL|Chile
    CM|CMR|Cameroon|Cameroun
    CN|CHN|China|People's Republic of China|PRC|Mainland China|中国
    CO|COL|Colombia
    CR|CRI|Costa Rica
    CU|CUB|Cuba
    CV|CPV|Cabo Verde|Cape Verde
    CW|CUW|Curaçao
    CX|CXR|Christmas Island
    CY|CYP|Cyprus
    CZ|CZE|Czechia|Czech Republic|Česko|Česká republika
    DE|DEU|Germany|Deutschland|Federal Republic of Germany|Allemagne|Alemania
    DJ|DJI|Djibouti
    DK|DNK|Denmark|Danmark
    DM|DMA|Dominica
    DO|DOM|Dominican Republic
    DZ|DZA|Algeria
    EC|ECU|Ecuador
    EE|EST|Estonia|Eesti
    EG|EGY|Egypt
    EH|ESH|Western Sahara
    ER|ERI|Eritrea
    ES|ESP|Spain|España|Espagne|Spanien
    ET|ETH|Ethiopia
    FI|FIN|Finland|Suomi
    FJ|FJI|Fiji
    FK|FLK|Falkland Islands (Malvinas)|Falkland Islands|Falklands
    FM|FSM|Micronesia (Federated States of)|Micronesia|Federated States of Micronesia
    FO|FRO|Faroe Islands|Faroes
    FR|FRA|France|French Republic|Frankreich|Francia
    GA|GAB|Gabon
    GB|GBR|United Kingdom|United Kingdom of Great Britain and Northern Ireland|UK|U.K.|Great Britain|Britain|England|Scotland|Wales|Northern Ireland
    GD|GRD|Grenada
    GE|GEO|Georgia|Sakartvelo
    GF|GUF|French Guiana
    GG|GGY|Guernsey
    GH|GHA|Ghana
    GI|GIB|Gibraltar
    GL|GRL|Greenland|Kalaallit Nunaat
    GM|GMB|Gambia
    GN|GIN|Guinea
    GP|GLP|Guadeloupe
    GQ|GNQ|Equatorial Guinea
    GR|GRC|Greece|Hellas|Ελλάδα
    GS|SGS|South Georgia and the South Sandwich Islands|South Georgia
    GT|GTM|Guatemala
    GU|GUM|Guam
    GW|GNB|Guinea-Bissau
    GY|GUY|Guyana
    HK|HKG|Hong Kong|Hong Kong SAR
    HM|HMD|Heard Island and McDonald Islands
    HN|HND|Honduras
    HR|HRV|Croatia|Hrvatska
    HT|HTI|Haiti
    HU|HUN|Hungary|Magyarország
    ID|IDN|Indonesia
    IE|IRL|Ireland|Éire|Republic of Ireland
    IL|ISR|Israel
    IM|IMN|Isle of Man
    IN|IND|India|Bharat
    IO|IOT|British Indian Ocean Territory
    IQ|IRQ|Iraq
    IR|IRN|Iran|Iran (Islamic Republic of)|Islamic Republic of Iran
    IS|ISL|Iceland|Ísland
    IT|ITA|Italy|Italia|Italien
    JE|JEY|Jersey
    JM|JAM|Jamaica
    JO|JOR|Jordan
    JP|JPN|Japan|Nippon|Nihon|日本
    KE|KEN|Kenya
    KG|KGZ|Kyrgyzstan|Kyrgyz Republic
    KH|KHM|Cambodia
    KI|KIR|Kiribati
    KM|COM|Comoros
    KN|KNA|Saint Kitts and Nevis|St Kitts and Nevis|St Kitts
    KP|PRK|Korea, Democratic People's Republic of|North Korea|DPRK|Democratic People's Republic of Korea
    KR|KOR|Korea, Republic of|South Korea|Korea|Republic of Korea|대한민국|한국
    KW|KWT|Kuwait
    KY|CYM|Cayman Islands
    KZ|KAZ|Kazakhstan
    LA|LAO|Lao People's Democratic Republic|Laos
    LB|LBN|Lebanon
    LC|LCA|Saint Lucia|St Lucia
    LI|LIE|Liechtenstein
    LK|LKA|Sri Lanka
    LR|LBR|Liberia
    LS|LSO|Lesotho
    LT|LTU|Lithuania|Lietuva
    LU|LUX|Luxembourg|Luxemburg|Lëtzebuerg
    LV|LVA|Latvia|Latvija
    LY|LBY|Libya
    MA|MAR|Morocco|Maroc
    MC|MCO|Monaco
    MD|MDA|Moldova|Moldova, Republic of|Republic of Moldova
    ME|MNE|Montenegro|Crna Gora
    MF|MAF|Saint Martin (French part)|Saint Martin
    MG|MDG|Madagascar
    MH|MHL|Marshall Islands
    MK|MKD|North Macedonia|Macedonia|Republic of North Macedonia
    ML|MLI|Mali
    MM|MMR|Myanmar|Burma
    MN|MNG|Mongolia
    MO|MAC|Macao|Macau
    MP|MNP|Northern Mariana Islands
    MQ|MTQ|Martinique
    MR|MRT|Mauritania
    MS|MSR|Montserrat
    MT|MLT|Malta
    MU|MUS|Mauritius
    MV|MDV|Maldives
    MW|MWI|Malawi
    MX|MEX|Mexico|México|Mexiko
    MY|MYS|Malaysia
    MZ|MOZ|Mozambique
    NA|NAM|Namibia
    NC|NCL|New Caledonia
    NE|NER|Niger
    NF|NFK|Norfolk Island
    NG|NGA|Nigeria
    NI|NIC|Nicaragua
    NL|NLD|Netherlands|Holland|Nederland|Netherlands (Kingdom of the)|Niederlande|Pays-Bas
    NO|NOR|Norway|Norge|Noreg
    NP|NPL|Nepal
    NR|NRU|Nauru
    NU|NIU|Niue
    NZ|NZL|New Zealand|Aotearoa
    OM|OMN|Oman
    PA|PAN|Panama|Panamá
    PE|PER|Peru|Perú
    PF|PYF|French Polynesia
    PG|PNG|Papua New Guinea
    PH|PHL|Philippines|Pilipinas
    PK|PAK|Pakistan
    PL|POL|Poland|Polska
    PM|SPM|Saint Pierre and Miquelon
    PN|PCN|Pitcairn|Pitcairn Islands
    PR|PRI|Puerto Rico
    PS|PSE|Palestine, State of|Palestine|State of Palestine|Palestinian Territories
    PT|PRT|Portugal
    PW|PLW|Palau
    PY|PRY|Paraguay
    QA|QAT|Qatar
    RE|REU|Réunion
    RO|ROU|Romania|România
    RS|SRB|Serbia|Srbija
    RU|RUS|Russian Federation|Russia|Россия
    RW|RWA|Rwanda
    SA|SAU|Saudi Arabia|KSA|Kingdom of Saudi Arabia
    SB|SLB|Solomon Islands
    SC|SYC|Seychelles
    SD|SDN|Sudan
    SE|SWE|Sweden|Sverige
    SG|SGP|Singapore
    SH|SHN|Saint Helena, Ascension and Tristan da Cunha|Saint Helena
    SI|SVN|Slovenia|Slovenija
    SJ|SJM|Svalbard and Jan Mayen
    SK|SVK|Slovakia|Slovensko|Slovak Republic
    SL|SLE|Sierra Leone
    SM|SMR|San Marino
    SN|SEN|Senegal
    SO|SOM|Somalia
    SR|SUR|Suriname
    SS|SSD|South Sudan
    ST|STP|Sao Tome and Principe
    SV|SLV|El Salvador
    SX|SXM|Sint Maarten (Dutch part)|Sint Maarten
    SY|SYR|Syrian Arab Republic|Syria
    SZ|SWZ|Eswatini|Swaziland
    TC|TCA|Turks and Caicos Islands
    TD|TCD|Chad
    TF|ATF|French Southern Territories
    TG|TGO|Togo
    TH|THA|Thailand
    TJ|TJK|Tajikistan
    TK|TKL|Tokelau
    TL|TLS|Timor-Leste|East Timor
    TM|TKM|Turkmenistan
    TN|TUN|Tunisia
    TO|TON|Tonga
    TR|TUR|Türkiye|Turkey
    TT|TTO|Trinidad and Tobago|Trinidad
    TV|TUV|Tuvalu
    TW|TWN|Taiwan|Taiwan, Province of China|Republic of China
    TZ|TZA|Tanzania|Tanzania, United Republic of|United Republic of Tanzania
    UA|UKR|Ukraine|Україна
    UG|UGA|Uganda
    UM|UMI|United States Minor Outlying Islands
    US|USA|United States|United States of America|U.S.|U.S.A.|America|United States (USA)
    UY|URY|Uruguay
    UZ|UZB|Uzbekistan
    VA|VAT|Holy See|Vatican|Vatican City|Vatican City State
    VC|VCT|Saint Vincent and the Grenadines|St Vincent and the Grenadines
    VE|VEN|Venezuela|Venezuela (Bolivarian Republic of)|Bolivarian Republic of Venezuela
    VG|VGB|Virgin Islands (British)|British Virgin Islands
    VI|VIR|Virgin Islands (U.S.)|US Virgin Islands|U.S. Virgin Islands
    VN|VNM|Viet Nam|Vietnam
    VU|VUT|Vanuatu
    WF|WLF|Wallis and Futuna
    WS|WSM|Samoa
    XK|XKX|Kosovo
    YE|YEM|Yemen
    YT|MYT|Mayotte
    ZA|ZAF|South Africa|RSA|Suid-Afrika
    ZM|ZMB|Zambia
    ZW|ZWE|Zimbabwe
    """
}
