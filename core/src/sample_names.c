/* sample_names.c: the constant tables of `cpdplan sample` (see
 * sample_names.h): real local authorities of Wales, England and Scotland,
 * posts per nation with the framework items agreed for them, personal names,
 * teams, schools, evidence topics and comments. Data only. */
#include "sample_names.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Interleaved: 8 Welsh, 9 English and 5 Scottish councils; any prefix of
 * three or more holds all three nations. */
const sn_service sn_services[] = {
    {"Cardiff Council", "cardiff", SN_WALES, 10},
    {"Birmingham City Council", "birmingham", SN_ENGLAND, 14},
    {"Glasgow City Council", "glasgow", SN_SCOTLAND, 10},
    {"City and County of Swansea", "swansea", SN_WALES, 7},
    {"Kent County Council", "kent", SN_ENGLAND, 13},
    {"Gwynedd Council", "gwynedd", SN_WALES, 4},
    {"Manchester City Council", "manchester", SN_ENGLAND, 8},
    {"The City of Edinburgh Council", "edinburgh", SN_SCOTLAND, 8},
    {"Rhondda Cynon Taf County Borough Council", "rctcbc", SN_WALES, 7},
    {"Leeds City Council", "leeds", SN_ENGLAND, 9},
    {"Carmarthenshire County Council", "carmarthenshire", SN_WALES, 5},
    {"Hampshire County Council", "hants", SN_ENGLAND, 10},
    {"The Highland Council", "highland", SN_SCOTLAND, 5},
    {"Ceredigion County Council", "ceredigion", SN_WALES, 2},
    {"Cornwall Council", "cornwall", SN_ENGLAND, 5},
    {"Conwy County Borough Council", "conwy", SN_WALES, 3},
    {"Lancashire County Council", "lancashire", SN_ENGLAND, 9},
    {"Fife Council", "fife", SN_SCOTLAND, 6},
    {"Isle of Anglesey County Council", "anglesey", SN_WALES, 2},
    {"London Borough of Camden", "camden", SN_ENGLAND, 4},
    {"Norfolk County Council", "norfolk", SN_ENGLAND, 7},
    {"Aberdeenshire Council", "aberdeenshire", SN_SCOTLAND, 4},
};
const size_t sn_nservices = COUNT(sn_services);

/* Wales: key areas 1-2 apply to all; key area 3 is agreed for school-facing
 * posts, the VSC Cymru Standard for managers. England: Aspect applies to all
 * posts. Scotland: dimensions 1-3 apply to all; 4-6 are agreed by role. */
const sn_post sn_posts[] = {
    {"Challenge Adviser", SN_WALES, SN_STAFF, 40, "WEIP-3"},
    {"Advisory Teacher", SN_WALES, SN_STAFF, 20, "WEIP-3"},
    {"Education Officer", SN_WALES, SN_STAFF, 15, ""},
    {"Athro Bro", SN_WALES, SN_STAFF, 10, "WEIP-3"},
    {"Inclusion Officer", SN_WALES, SN_STAFF, 15, "WEIP-3"},
    {"Team Leader", SN_WALES, SN_LEADER, 0, "WEIP-3 VSC-KS VSC-PQ VSC-PC"},
    {"Senior Manager", SN_WALES, SN_SENIOR, 0, "WEIP-3 VSC-KS VSC-PQ VSC-PC"},
    {"Head of Service", SN_WALES, SN_HEAD, 0, "VSC-KS VSC-PQ VSC-PC"},
    {"Director of Education", SN_WALES, SN_CHIEF, 0, "VSC-KS VSC-PQ VSC-PC"},
    {"School Improvement Adviser", SN_ENGLAND, SN_STAFF, 40, ""},
    {"Improvement Officer", SN_ENGLAND, SN_STAFF, 25, ""},
    {"Early Years Consultant", SN_ENGLAND, SN_STAFF, 15, ""},
    {"SEND Adviser", SN_ENGLAND, SN_STAFF, 20, ""},
    {"Lead Adviser", SN_ENGLAND, SN_LEADER, 0, ""},
    {"Service Manager", SN_ENGLAND, SN_SENIOR, 0, ""},
    {"Head of School Improvement", SN_ENGLAND, SN_HEAD, 0, ""},
    {"Director of Children's Services", SN_ENGLAND, SN_CHIEF, 0, ""},
    {"Quality Improvement Officer", SN_SCOTLAND, SN_STAFF, 50, "PSS19-4"},
    {"Education Support Officer", SN_SCOTLAND, SN_STAFF, 25, "PSS19-4"},
    {"Development Officer", SN_SCOTLAND, SN_STAFF, 25, "PSS19-6"},
    {"Quality Improvement Manager", SN_SCOTLAND, SN_LEADER, 0, "PSS19-4 PSS19-5"},
    {"Senior Education Manager", SN_SCOTLAND, SN_SENIOR, 0, "PSS19-4 PSS19-5 PSS19-6"},
    {"Head of Education", SN_SCOTLAND, SN_HEAD, 0, "PSS19-5 PSS19-6"},
    {"Chief Education Officer", SN_SCOTLAND, SN_CHIEF, 0, "PSS19-4 PSS19-5 PSS19-6"},
};
const size_t sn_nposts = COUNT(sn_posts);

const char *const sn_nation_name[SN_NATIONS] = {"Wales", "England", "Scotland"};
const char *const sn_nation_frameworks[SN_NATIONS] = {"WEIP VSC", "ASP05", "PSS19"};
const char *const sn_leadership_team[SN_NATIONS] = {
    "Senior Leadership Team", "Directorate Leadership Team", "Education Senior Management Team"};
const char *const sn_inspectorate[SN_NATIONS] = {"Estyn", "Ofsted", "Education Scotland"};

/* ---- personal names ---- */

static const sn_name first_common[] = {
    {"Sarah", 0}, {"David", 0}, {"Emma", 0}, {"James", 0}, {"Rachel", 0}, {"Paul", 0},
    {"Helen", 0}, {"Mark", 0}, {"Claire", 0}, {"Andrew", 0}, {"Joanne", 0}, {"Richard", 0},
    {"Nicola", 0}, {"Michael", 0}, {"Louise", 0}, {"Stephen", 0}, {"Karen", 0}, {"Peter", 0},
    {"Lisa", 0}, {"Christopher", 0}, {"Catherine", 0}, {"John", 0}, {"Elizabeth", 0},
    {"Simon", 0}, {"Rebecca", 0}, {"Matthew", 0}, {"Jennifer", 0}, {"Daniel", 0},
    {"Victoria", 0}, {"Thomas", 0}, {"Laura", 0}, {"Jonathan", 0}, {"Hannah", 0},
    {"Robert", 0}, {"Charlotte", 0}, {"Ian", 0}, {"Alison", 0}, {"Neil", 0}, {"Amanda", 0},
    {"Martin", 0}, {"Julie", 0}, {"Gary", 0}, {"Susan", 0}, {"Philip", 0}, {"Deborah", 0},
    {"Anthony", 0}, {"Joanna", 0}, {"Graham", 0}, {"Katherine", 0}, {"Timothy", 0},
    {"Alan", 0}, {"Gillian", 0}, {"Kevin", 0}, {"Ruth", 0}, {"Sean", 0}, {"Anna", 0},
    {"Adam", 0}, {"Lucy", 0}, {"Benjamin", 0}, {"Amy", 0}, {"Samuel", 0}, {"Sophie", 0},
    {"Jessica", 0}, {"Nathan", 0}, {"Zoë", "zoe"}, {"Priya", 0}, {"Aisha", 0},
    {"Mohammed", 0}, {"Imran", 0}, {"Fatima", 0}, {"Rajesh", 0}, {"Sunita", 0}, {"Amir", 0},
    {"Yasmin", 0}, {"Kwame", 0}, {"Ngozi", 0}, {"Tomasz", 0}, {"Agnieszka", 0}, {"Mei", 0},
    {"Oluwaseun", 0}, {"Hardeep", 0}, {"Gurpreet", 0}, {"Bilal", 0}, {"Nadia", 0},
    {"Hassan", 0}, {"Zainab", 0}, {"Siobhan", 0}, {"Niamh", 0}, {"Ciarán", "ciaran"},
    {"Chloé", "chloe"}, {"Renée", "renee"}, {"Bernadette", 0}, {"Declan", 0},
};

static const sn_name last_common[] = {
    {"Smith", 0}, {"Jones", 0}, {"Taylor", 0}, {"Brown", 0}, {"Williams", 0}, {"Wilson", 0},
    {"Johnson", 0}, {"Davies", 0}, {"Robinson", 0}, {"Wright", 0}, {"Thompson", 0},
    {"Evans", 0}, {"Walker", 0}, {"White", 0}, {"Roberts", 0}, {"Green", 0}, {"Hall", 0},
    {"Wood", 0}, {"Jackson", 0}, {"Clarke", 0}, {"Patel", 0}, {"Khan", 0}, {"Lewis", 0},
    {"James", 0}, {"Phillips", 0}, {"Mason", 0}, {"Mitchell", 0}, {"Rose", 0}, {"Davis", 0},
    {"Turner", 0}, {"Hill", 0}, {"Cooper", 0}, {"Ward", 0}, {"Morris", 0}, {"Moore", 0},
    {"Clark", 0}, {"Lee", 0}, {"King", 0}, {"Baker", 0}, {"Harrison", 0}, {"Morgan", 0},
    {"Allen", 0}, {"Young", 0}, {"Scott", 0}, {"Edwards", 0}, {"Hughes", 0}, {"Harris", 0},
    {"Martin", 0}, {"Begum", 0}, {"Ahmed", 0}, {"Ali", 0}, {"Hussain", 0}, {"Shah", 0},
    {"Singh", 0}, {"Kaur", 0}, {"Chen", 0}, {"Nowak", 0}, {"Kowalski", 0}, {"Okafor", 0},
    {"Adeyemi", 0}, {"Mensah", 0}, {"O'Brien", 0}, {"O'Connor", 0}, {"Murphy", 0},
    {"Kelly", 0}, {"Bennett", 0}, {"Carter", 0}, {"Shaw", 0}, {"Holmes", 0}, {"Fletcher", 0},
    {"Marsh", 0}, {"Barker", 0}, {"Chapman", 0}, {"Webb", 0}, {"Ellis", 0},
    {"Brontë", "bronte"}, {"Ashworth", 0}, {"Pickering", 0}, {"Sutcliffe", 0},
};

static const sn_name first_welsh[] = {
    {"Siân", "sian"}, {"Dafydd", 0}, {"Rhys", 0}, {"Ffion", 0}, {"Rhiannon", 0},
    {"Carys", 0}, {"Aled", 0}, {"Eleri", 0}, {"Bethan", 0}, {"Gethin", 0}, {"Huw", 0},
    {"Llinos", 0}, {"Meinir", 0}, {"Owain", 0}, {"Elin", 0}, {"Cerys", 0}, {"Dylan", 0},
    {"Gareth", 0}, {"Emyr", 0}, {"Heledd", 0}, {"Lowri", 0}, {"Manon", 0}, {"Nia", 0},
    {"Osian", 0}, {"Tomos", 0}, {"Catrin", 0}, {"Geraint", 0}, {"Gwyn", 0}, {"Hywel", 0},
    {"Ieuan", 0}, {"Mared", 0}, {"Angharad", 0}, {"Rhodri", 0}, {"Sioned", 0},
    {"Gwenllian", 0}, {"Iolo", 0}, {"Tegwen", 0}, {"Iwan", 0}, {"Llŷr", "llyr"},
    {"Gruffydd", 0}, {"Elen", 0}, {"Branwen", 0}, {"Cai", 0}, {"Gwion", 0}, {"Non", 0},
    {"Nerys", 0}, {"Dewi", 0}, {"Alun", 0}, {"Meleri", 0}, {"Esyllt", 0}, {"Rhun", 0},
    {"Ceri", 0}, {"Delyth", 0}, {"Arwel", 0}, {"Gwilym", 0}, {"Tirion", 0}, {"Mabli", 0},
    {"Efa", 0}, {"Gwenno", 0}, {"Siôn", "sion"}, {"Glesni", 0}, {"Eurgain", 0},
};

static const sn_name last_welsh[] = {
    {"Jones", 0}, {"Williams", 0}, {"Davies", 0}, {"Evans", 0}, {"Thomas", 0},
    {"Roberts", 0}, {"Hughes", 0}, {"Lewis", 0}, {"Morgan", 0}, {"Griffiths", 0},
    {"Edwards", 0}, {"Owen", 0}, {"Rees", 0}, {"Jenkins", 0}, {"Price", 0}, {"Pritchard", 0},
    {"Parry", 0}, {"Powell", 0}, {"Lloyd", 0}, {"Vaughan", 0}, {"Harries", 0},
    {"Howells", 0}, {"Bowen", 0}, {"Prosser", 0}, {"Pugh", 0}, {"Probert", 0}, {"Bevan", 0},
    {"Llewellyn", 0}, {"Meredith", 0}, {"Rowlands", 0}, {"Watkins", 0}, {"Hopkins", 0},
    {"Humphreys", 0}, {"Ellis", 0}, {"Ifans", 0}, {"Wyn", 0}, {"Tudur", 0}, {"Glyn", 0},
    {"Lloyd-Jones", 0}, {"ap Dafydd", 0}, {"Gruffudd", 0}, {"Puw", 0}, {"Prys", 0}, {"Rhisiart", 0},
};

static const sn_name first_scottish[] = {
    {"Fiona", 0}, {"Iain", 0}, {"Alasdair", 0}, {"Callum", 0}, {"Euan", 0}, {"Kirsty", 0},
    {"Catriona", 0}, {"Eilidh", 0}, {"Ailsa", 0}, {"Hamish", 0}, {"Isla", 0}, {"Mhairi", 0},
    {"Morag", 0}, {"Ruaridh", 0}, {"Struan", 0}, {"Niall", 0}, {"Shona", 0}, {"Lachlan", 0},
    {"Finlay", 0}, {"Gregor", 0}, {"Murdo", 0}, {"Kenneth", 0}, {"Alistair", 0}, {"Ewan", 0},
    {"Craig", 0}, {"Gordon", 0}, {"Douglas", 0}, {"Ross", 0}, {"Jamie", 0}, {"Lorna", 0},
    {"Moira", 0}, {"Heather", 0}, {"Ishbel", 0}, {"Màiri", "mairi"}, {"Seònaid", "seonaid"},
    {"Rhona", 0}, {"Elspeth", 0}, {"Innes", 0}, {"Calum", 0}, {"Torquil", 0}, {"Iona", 0},
    {"Kenny", 0}, {"Grant", 0}, {"Mairead", 0}, {"Ruairidh", 0},
};

static const sn_name last_scottish[] = {
    {"Smith", 0}, {"Brown", 0}, {"Wilson", 0}, {"Campbell", 0}, {"Stewart", 0},
    {"Thomson", 0}, {"Robertson", 0}, {"Anderson", 0}, {"MacDonald", 0}, {"Scott", 0},
    {"Reid", 0}, {"Murray", 0}, {"Taylor", 0}, {"Clark", 0}, {"Ross", 0}, {"Watson", 0},
    {"Morrison", 0}, {"Paterson", 0}, {"Young", 0}, {"Mitchell", 0}, {"Fraser", 0},
    {"Miller", 0}, {"McDonald", 0}, {"Gray", 0}, {"Henderson", 0}, {"Hamilton", 0},
    {"Johnston", 0}, {"Duncan", 0}, {"Graham", 0}, {"Ferguson", 0}, {"Kerr", 0},
    {"Davidson", 0}, {"Bell", 0}, {"Cameron", 0}, {"MacLeod", 0}, {"MacKenzie", 0},
    {"Sinclair", 0}, {"Grant", 0}, {"Munro", 0}, {"Mackay", 0}, {"MacLean", 0},
    {"Buchanan", 0}, {"Crawford", 0}, {"Hunter", 0}, {"MacAulay", 0}, {"Sutherland", 0},
    {"Urquhart", 0}, {"Docherty", 0}, {"Gallacher", 0}, {"McLaughlin", 0}, {"Boyle", 0},
    {"Baird", 0}, {"MacIntyre", 0},
};

const sn_names sn_first_common = {first_common, COUNT(first_common)};
const sn_names sn_last_common = {last_common, COUNT(last_common)};
const sn_names sn_first_local[SN_NATIONS] = {
    {first_welsh, COUNT(first_welsh)}, {NULL, 0}, {first_scottish, COUNT(first_scottish)}};
const sn_names sn_last_local[SN_NATIONS] = {
    {last_welsh, COUNT(last_welsh)}, {NULL, 0}, {last_scottish, COUNT(last_scottish)}};

/* ---- teams ---- */

static const char *const teams_wales[] = {
    "Primary School Improvement", "Secondary School Improvement",
    "Welsh-medium and Bilingual Education", "Additional Learning Needs and Inclusion",
    "Early Years", "Curriculum for Wales", "Digital Learning", "Professional Learning",
    "Governor Support", "Data and Performance"};
static const char *const teams_england[] = {
    "Primary School Improvement", "Secondary School Improvement", "SEND and Inclusion",
    "Early Years", "Curriculum and Standards", "Leadership Development", "Governor Services",
    "Data and Intelligence", "Virtual School", "Attendance and Behaviour"};
static const char *const teams_scotland[] = {
    "Quality Improvement (Primary)", "Quality Improvement (Secondary)",
    "Early Learning and Childcare", "Inclusion and Wellbeing", "Curriculum for Excellence",
    "Professional Learning", "Community Learning and Development",
    "Performance and Improvement", "Gaelic Medium Education"};
static const char *const areas[] = {"North", "South", "East", "West", "Central"};

const sn_words sn_teams[SN_NATIONS] = {
    {teams_wales, COUNT(teams_wales)},
    {teams_england, COUNT(teams_england)},
    {teams_scotland, COUNT(teams_scotland)}};
const sn_words sn_areas = {areas, COUNT(areas)};

/* ---- schools ---- */

static const char *const places_wales[] = {
    "Pen-y-bryn", "Llanfair", "Bro Taf", "Glan Morfa", "Cwm Rhymni", "Treganna", "Bryn Teg",
    "Maes-y-coed", "Y Strade", "Bro Dinefwr", "Llangefni", "Dyffryn Conwy", "Pontypridd",
    "Aberaeron", "Tregaron", "Caer Elen", "Pen-y-dre", "Llanishen", "Tŷ Gwyn", "Bro Ogwr",
    "Bryn Tawe", "Pencae", "Coed Glas", "Penrhyn", "Bro Alaw", "Santes Dwynwen",
    "Morgan Llwyd", "Glantaf", "Gwaun Cae Gurwen", "Bodedern"};
static const char *const places_england[] = {
    "Ashfield", "Brookside", "Hillcrest", "Oakwood", "Riverside", "Meadowbank", "Highfield",
    "Moorside", "Greenbank", "Northfield", "Kingsmead", "Westgate", "Fairfield",
    "Holy Trinity", "St Mary's", "St Joseph's", "St Peter's", "All Saints", "Parkside",
    "Beechwood", "Millbrook", "Springfield", "Woodlands", "Castle View", "Heathfield",
    "Lakeside", "Ravenscourt", "Thornbury"};
static const char *const places_scotland[] = {
    "Kelvinside", "Bellahouston", "Castlebrae", "Portobello", "Leith", "Dalneigh",
    "Lochside", "Craigie", "Ballater", "Millburn", "Balfron", "Cathkin", "Drummond",
    "Knightswood", "Craigroyston", "Inverurie", "Mintlaw", "Culloden", "Auchmuty",
    "Balwearie", "Bankhead", "St Ninian's", "St Columba's", "Kingussie", "Lochaber",
    "Forrester"};
static const char *const kinds_wales[] = {
    "Ysgol Gynradd %s", "Ysgol Gymraeg %s", "Ysgol Uwchradd %s", "Ysgol Gyfun %s",
    "Ysgol %s", "%s Primary School", "%s High School"};
static const char *const kinds_england[] = {
    "%s Primary School", "%s Academy", "%s Community School", "%s Junior School",
    "%s Infant School", "%s C of E Primary School", "%s High School"};
static const char *const kinds_scotland[] = {
    "%s Primary School", "%s High School", "%s Academy", "%s Community High School",
    "%s Early Learning Centre"};

const sn_words sn_school_places[SN_NATIONS] = {
    {places_wales, COUNT(places_wales)},
    {places_england, COUNT(places_england)},
    {places_scotland, COUNT(places_scotland)}};
const sn_words sn_school_kinds[SN_NATIONS] = {
    {kinds_wales, COUNT(kinds_wales)},
    {kinds_england, COUNT(kinds_england)},
    {kinds_scotland, COUNT(kinds_scotland)}};

/* ---- evidence words ---- */

static const char *const topics_common[] = {
    "assessment for learning", "literacy across the curriculum", "numeracy", "attendance",
    "safeguarding", "curriculum design", "leadership coaching", "self-evaluation data",
    "governor training", "well-being and behaviour", "transition from primary to secondary",
    "moderation of teacher assessment", "middle leadership", "closing the attainment gap"};
static const char *const topics_wales[] = {
    "Welsh-medium provision", "Curriculum for Wales", "the ALN Act", "digital competence"};
static const char *const topics_england[] = {
    "the SEND Code of Practice", "the inspection framework", "phonics", "pupil premium"};
static const char *const topics_scotland[] = {
    "Curriculum for Excellence", "the Scottish Attainment Challenge", "GIRFEC",
    "Gaelic medium education"};
static const char *const meetings[] = {
    "headteachers' cluster meeting", "team meeting", "school improvement group",
    "moderation panel", "senior leadership team meeting", "regional network meeting",
    "partnership board"};

const sn_words sn_topics_common = {topics_common, COUNT(topics_common)};
const sn_words sn_topics[SN_NATIONS] = {
    {topics_wales, COUNT(topics_wales)},
    {topics_england, COUNT(topics_england)},
    {topics_scotland, COUNT(topics_scotland)}};
const sn_words sn_meetings = {meetings, COUNT(meetings)};

/* ---- comments ---- */

static const char *const comments_self[] = {
    "Evidence from autumn term visits", "Need more practice in this area",
    "Confident in this; could support colleagues", "Linked to my performance objective",
    "Developing, with support from my team leader", "Limited opportunity this cycle",
    "Strong feedback from headteachers", "Would like training on this"};
static const char *const comments_manager[] = {
    "Agreed at review meeting", "Agreed; practice that could be shared with others",
    "Moderated: evidence from one school only", "Discussed, needs focused support this term",
    "Benchmarked against the team, agreed", "Agreed, see visit notes"};
static const char *const comments_peer[] = {
    "Observed during joint visit", "Seen at cluster meeting, very effective",
    "From co-delivered training", "Good challenge in the review panel"};
static const char *const comments_na[] = {
    "Not part of my current role", "Not applicable to this post this cycle"};

const sn_words sn_comments_self = {comments_self, COUNT(comments_self)};
const sn_words sn_comments_manager = {comments_manager, COUNT(comments_manager)};
const sn_words sn_comments_peer = {comments_peer, COUNT(comments_peer)};
const sn_words sn_comments_na = {comments_na, COUNT(comments_na)};
