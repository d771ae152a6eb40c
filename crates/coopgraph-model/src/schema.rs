//! The one declaration of entity kinds and relation types.
//!
//! Everything else (the loader's checks, the RDF vocabulary, the views, the
//! statistics) reads these tables; adding a relation type means adding one
//! entry to [`RELATION_TYPES`] and nothing else.

use std::fmt;

/// The kinds of entity in the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    /// A state, or a region with its own law-enforcement system (e.g. Hong Kong SAR).
    Country,
    /// An international organization, forum, cooperation mechanism or national agency.
    Organization,
    /// A campaign, joint operation, patrol, deployment, exercise, escort or relief mission.
    Operation,
    /// A convention, treaty, agreement or a non-binding instrument.
    Treaty,
    /// A place other than a country: a city, port, sea, river, region or facility.
    Place,
    /// Something that happened and that cooperation answers: an attack, a crime, a disaster, an accident.
    Incident,
    /// A non-state actor: a terrorist organization, a criminal group, an armed group.
    Group,
}

/// Declaration of one entity kind: its names and the categories it allows.
#[derive(Debug)]
pub struct KindSpec {
    /// The kind.
    pub kind: EntityKind,
    /// Name used in data files (`[[country]]`, CSV `type` column), lower case.
    pub name: &'static str,
    /// Name of the class in the ontology (`Country`).
    pub class_name: &'static str,
    /// English label.
    pub label_en: &'static str,
    /// Chinese label.
    pub label_zh: &'static str,
    /// Allowed values of the entity's `category` field.
    pub categories: &'static [CategorySpec],
    /// Category assumed when a record gives none.
    pub default_category: &'static str,
    /// What the kind is, in English (the class's comment in the ontology).
    pub comment_en: &'static str,
    /// What the kind is, in Chinese.
    pub comment_zh: &'static str,
    /// How the kind's class lines up with other vocabularies.
    pub alignments: &'static [Alignment],
}

/// How a class or property of the ontology lines up with a term of another
/// vocabulary, written as a CURIE with a prefix the ontology declares
/// (`schema:`, `wd:`, `wdt:`, `dcterms:`, `prov:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alignment {
    /// The coop term is a true specialisation (`rdfs:subClassOf`, `rdfs:subPropertyOf`).
    Broader(&'static str),
    /// The terms mean the same (`skos:exactMatch`).
    Exact(&'static str),
    /// The terms are near in meaning (`skos:closeMatch`).
    Close(&'static str),
}

use Alignment::{Broader, Close, Exact};

/// One allowed category of a kind, e.g. `campaign` for operations.
#[derive(Debug)]
pub struct CategorySpec {
    /// Name used in data files.
    pub name: &'static str,
    /// Name of the subclass in the ontology.
    pub class_name: &'static str,
    /// English label.
    pub label_en: &'static str,
    /// Chinese label.
    pub label_zh: &'static str,
    /// For treaties: whether instruments of this category bind their parties
    /// (a record may override it with `binding`). `None` for other kinds.
    pub binding: Option<bool>,
    /// What the category is, in English (the subclass's comment).
    pub comment_en: &'static str,
    /// What the category is, in Chinese.
    pub comment_zh: &'static str,
    /// How the subclass lines up with other vocabularies.
    pub alignments: &'static [Alignment],
}

impl CategorySpec {
    /// The same category with its comments in English and Chinese.
    const fn doc(self, comment_en: &'static str, comment_zh: &'static str) -> CategorySpec {
        CategorySpec { comment_en, comment_zh, ..self }
    }

    /// The same category with its alignments to other vocabularies.
    const fn aligned(self, alignments: &'static [Alignment]) -> CategorySpec {
        CategorySpec { alignments, ..self }
    }
}

const fn cat(
    name: &'static str,
    class_name: &'static str,
    label_en: &'static str,
    label_zh: &'static str,
) -> CategorySpec {
    CategorySpec {
        name,
        class_name,
        label_en,
        label_zh,
        binding: None,
        comment_en: "",
        comment_zh: "",
        alignments: &[],
    }
}

const fn instrument(
    name: &'static str,
    class_name: &'static str,
    label_en: &'static str,
    label_zh: &'static str,
    binding: bool,
) -> CategorySpec {
    CategorySpec {
        name,
        class_name,
        label_en,
        label_zh,
        binding: Some(binding),
        comment_en: "",
        comment_zh: "",
        alignments: &[],
    }
}

/// Every entity kind, in display order (the order of [`EntityKind::ALL`]).
pub static KINDS: [&KindSpec; 7] = [&COUNTRY, &ORGANIZATION, &OPERATION, &TREATY, &PLACE, &INCIDENT, &GROUP];

static COUNTRY: KindSpec = KindSpec {
    kind: EntityKind::Country,
    name: "country",
    class_name: "Country",
    label_en: "country",
    label_zh: "国家",
    categories: &[
        cat("state", "State", "sovereign state", "主权国家")
            .doc("A country that is a sovereign state.", "作为主权国家的国家。")
            .aligned(&[Broader("schema:Country"), Exact("wd:Q3624078")]),
        cat("region", "Region", "region or territory", "地区")
            .doc("A region or territory that is not a sovereign state but runs its own police and courts, and so cooperates in its own name.", "不是主权国家、但拥有自己的警察和法院、因而以自身名义开展合作的地区或领土。"),
    ],
    default_category: "state",
    comment_en: "A sovereign state, or a region or territory with its own law-enforcement system (such as a special administrative region).",
    comment_zh: "主权国家，或拥有自己执法体系的地区或领土（如特别行政区）。",
    alignments: &[Broader("schema:AdministrativeArea"), Close("wd:Q6256"), Close("schema:Country")],
};

static ORGANIZATION: KindSpec = KindSpec {
    kind: EntityKind::Organization,
    name: "organization",
    class_name: "Organization",
    label_en: "organization",
    label_zh: "组织",
    categories: &[
        cat("international_organization", "InternationalOrganization", "international organization", "国际组织")
            .doc("An organization whose members are states or other organizations, with its own bodies and secretariat.", "成员为国家或其他组织、设有自身机构和秘书处的组织。")
            .aligned(&[Exact("wd:Q484652")]),
        cat("forum", "Forum", "forum or conference", "论坛")
            .doc("A recurring forum or conference where participants meet without forming an organization of their own.", "定期举行、与会方并不因此组成独立组织的论坛或会议。"),
        cat("mechanism", "CooperationMechanism", "cooperation or dialogue mechanism", "合作机制")
            .doc("A standing arrangement through which parties cooperate, such as a ministerial meeting series, a joint commission, a hotline or a liaison network.", "各方据以开展合作的常设安排，如部长级会议机制、联合委员会、热线或联络网络。"),
        cat("agency", "Agency", "national agency", "国家机构")
            .doc("A government body of one country, such as a ministry, a police force or a prosecution service.", "某一国家的政府部门，如部委、警察机关或检察机关。")
            .aligned(&[Broader("schema:GovernmentOrganization"), Close("wd:Q327333")]),
    ],
    default_category: "international_organization",
    comment_en: "An international organization, a forum, a cooperation or dialogue mechanism, or a national agency.",
    comment_zh: "国际组织、论坛、合作或对话机制，或国家机构。",
    alignments: &[Broader("schema:Organization"), Close("wd:Q43229")],
};

static OPERATION: KindSpec = KindSpec {
    kind: EntityKind::Operation,
    name: "operation",
    class_name: "Operation",
    label_en: "operation",
    label_zh: "行动",
    categories: &[
        cat("campaign", "Campaign", "campaign", "专项行动").doc(
            "A named drive pursued over months or years, often in yearly rounds that are operations of their own.",
            "持续数月或数年的专项行动，常按年度分轮开展，每一轮本身也是一项行动。",
        ),
        cat("joint_operation", "JointOperation", "joint operation", "联合行动").doc(
            "An operation carried out by the law-enforcement or security bodies of two or more parties together.",
            "由两方或多方执法或安全部门共同开展的行动。",
        ),
        cat("patrol", "Patrol", "joint patrol", "联合巡逻").doc(
            "A patrol of a river, border or sea area by forces of several parties.",
            "多方力量对河流、边境或海域进行的巡逻。",
        ),
        cat("peacekeeping", "PeacekeepingDeployment", "peacekeeping deployment", "维和行动")
            .doc("Police or troops sent to a peacekeeping mission.", "派往维和任务的警察或部队。"),
        cat("exercise", "Exercise", "exercise", "演习").doc(
            "A joint drill or exercise of security or law-enforcement forces.",
            "安全或执法力量的联合演练或演习。",
        ),
        cat("escort", "EscortMission", "escort mission", "护航行动").doc(
            "A mission protecting ships or convoys, for example against piracy.",
            "保护船只或船队的任务，例如打击海盗的护航。",
        ),
        cat("relief", "ReliefMission", "rescue or relief mission", "救援行动")
            .doc("A search-and-rescue, disaster-relief or humanitarian mission.", "搜救、救灾或人道主义救援任务。"),
        cat("event", "CooperationEvent", "meeting, training or other event", "合作活动").doc(
            "A meeting, training course, seminar or other single event of cooperation.",
            "会议、培训班、研讨会或其他单次合作活动。",
        ),
    ],
    default_category: "joint_operation",
    comment_en: "Something done together over a time: a campaign, joint operation, patrol, peacekeeping deployment, exercise, escort or relief mission, or a meeting or training event.",
    comment_zh: "在一段时间内共同开展的事情：专项行动、联合行动、巡逻、维和部署、演习、护航或救援任务，或会议、培训等活动。",
    alignments: &[Broader("schema:Event"), Close("wd:Q1656682")],
};

static TREATY: KindSpec = KindSpec {
    kind: EntityKind::Treaty,
    name: "treaty",
    class_name: "Treaty",
    label_en: "treaty or instrument",
    label_zh: "条约或文书",
    categories: &[
        instrument("convention", "Convention", "convention", "公约", true)
            .doc("A multilateral treaty open to many states, usually adopted within an international organization. Binding by default.", "向众多国家开放的多边条约，通常在国际组织框架内通过。默认具有约束力。"),
        instrument("treaty", "BilateralTreaty", "treaty", "条约", true)
            .doc("A treaty in the narrow sense, typically between two states, such as an extradition or mutual legal assistance treaty. Binding by default.", "狭义的条约，通常在两国之间缔结，如引渡条约或司法协助条约。默认具有约束力。"),
        instrument("agreement", "Agreement", "agreement", "协定", true)
            .doc("A binding agreement between governments or their agencies that is not styled a treaty or convention. Binding by default.", "政府或其部门之间具有约束力、但不称为条约或公约的协定。默认具有约束力。"),
        instrument("memorandum", "Memorandum", "memorandum of understanding", "谅解备忘录", false)
            .doc("A memorandum of understanding recording intentions to cooperate. Non-binding by default.", "记载合作意向的谅解备忘录。默认不具约束力。"),
        instrument("declaration", "Declaration", "declaration", "宣言", false)
            .doc("A joint or unilateral declaration or statement of positions. Non-binding by default.", "联合或单方面的宣言或立场声明。默认不具约束力。"),
        instrument("principles", "Principles", "principles", "原则", false)
            .doc("A set of agreed principles or guidelines. Non-binding by default.", "各方商定的一套原则或准则。默认不具约束力。"),
        instrument("action_plan", "ActionPlan", "action plan", "行动计划", false)
            .doc("An agreed plan of joint actions, often with a time frame. Non-binding by default.", "各方商定、通常附有时间框架的联合行动计划。默认不具约束力。"),
        instrument("initiative", "Initiative", "initiative", "倡议", false)
            .doc("A proposal put forward by one or more parties for others to join. Non-binding by default.", "由一方或多方提出、供其他方参与的倡议。默认不具约束力。"),
    ],
    default_category: "treaty",
    comment_en: "A written instrument between states or organizations: a binding convention, treaty or agreement, or a non-binding memorandum, declaration, set of principles, action plan or initiative. Whether it binds its parties is stated with coop:binding.",
    comment_zh: "国家或组织之间的书面文书：具有约束力的公约、条约或协定，或不具约束力的备忘录、宣言、原则、行动计划或倡议。是否具有约束力由 coop:binding 表示。",
    alignments: &[Broader("schema:CreativeWork"), Close("wd:Q131569")],
};

static PLACE: KindSpec = KindSpec {
    kind: EntityKind::Place,
    name: "place",
    class_name: "Place",
    label_en: "place",
    label_zh: "地点",
    categories: &[
        cat("city", "City", "city", "城市").doc("A city or town.", "城市或城镇。").aligned(&[Close("wd:Q515")]),
        cat("port", "Port", "port", "港口")
            .doc("A sea or river port, a harbour or a wharf.", "海港、河港、港湾或码头。")
            .aligned(&[Close("wd:Q44782")]),
        cat("sea", "Sea", "sea or waters", "海域")
            .doc("A sea, gulf, strait or stretch of waters.", "海、海湾、海峡或一片水域。")
            .aligned(&[Close("wd:Q165")]),
        cat("river", "River", "river", "河流")
            .doc("A river, or a stretch or basin of one.", "河流，或其一段、流域。")
            .aligned(&[Close("wd:Q4022")]),
        cat("region", "GeographicRegion", "geographic region", "地理区域")
            .doc(
                "A region that is not a country of the graph: a province, a border area, a part of a continent.",
                "不作为图中国家的区域：省份、边境地区、大洲的一部分等。",
            )
            .aligned(&[Close("wd:Q82794")]),
        cat("facility", "Facility", "facility", "设施").doc(
            "A built place such as an airport, a station, a base or a centre.",
            "建成的场所，如机场、站点、基地或中心。",
        ),
    ],
    default_category: "region",
    comment_en: "A place named as where something happened, was held, was sent or is located: a city, port, sea, river, region or facility. Countries are a kind of their own.",
    comment_zh: "作为事件发生、活动举办、力量派驻或机构所在之处而提到的地点：城市、港口、海域、河流、区域或设施。国家另为一类。",
    alignments: &[Broader("schema:Place"), Close("wd:Q2221906")],
};

static INCIDENT: KindSpec = KindSpec {
    kind: EntityKind::Incident,
    name: "incident",
    class_name: "Incident",
    label_en: "incident",
    label_zh: "事件",
    categories: &[
        cat("attack", "Attack", "attack", "袭击").doc(
            "An attack on people or vessels, such as a killing of crews or a terrorist attack.",
            "针对人员或船只的袭击，如杀害船员或恐怖袭击。",
        ),
        cat("crime", "Crime", "crime or case", "犯罪案件")
            .doc("A crime or criminal case the documents name.", "文件所提到的犯罪或刑事案件。")
            .aligned(&[Close("wd:Q83267")]),
        cat("disaster", "Disaster", "disaster", "灾害")
            .doc("A natural disaster such as an earthquake or a flood.", "地震、洪水等自然灾害。")
            .aligned(&[Close("wd:Q8065")]),
        cat("accident", "Accident", "accident or disappearance", "事故").doc(
            "An accident, such as an aircraft lost or crashed, that calls for a search or rescue.",
            "需要搜寻或救援的事故，如飞机失踪或坠毁。",
        ),
    ],
    default_category: "attack",
    comment_en: "Something that happened, not done together: an attack, a crime, a disaster or an accident that cooperation responds to or targets.",
    comment_zh: "发生的事情，而非共同开展的行动：合作所应对或针对的袭击、犯罪、灾害或事故。",
    alignments: &[Broader("schema:Event"), Close("wd:Q1190554")],
};

static GROUP: KindSpec = KindSpec {
    kind: EntityKind::Group,
    name: "group",
    class_name: "Group",
    label_en: "non-state group",
    label_zh: "非国家团体",
    categories: &[
        cat("terrorist_organization", "TerroristOrganization", "terrorist organization", "恐怖组织")
            .doc("A group the documents name as a terrorist organization.", "文件称为恐怖组织的团体。")
            .aligned(&[Close("wd:Q17127659")]),
        cat("criminal_group", "CriminalGroup", "criminal group or network", "犯罪集团").doc(
            "A criminal gang, syndicate or network, such as a smuggling or fraud ring.",
            "犯罪团伙、集团或网络，如偷渡或诈骗团伙。",
        ),
        cat("armed_group", "ArmedGroup", "armed group", "武装团体")
            .doc("A non-state armed group, such as pirates.", "非国家武装团体，如海盗。"),
    ],
    default_category: "criminal_group",
    comment_en: "A non-state actor that cooperation is directed against: a terrorist organization, a criminal group or network, or an armed group.",
    comment_zh: "合作所针对的非国家行为体：恐怖组织、犯罪集团或网络，或武装团体。",
    alignments: &[Broader("schema:Organization"), Close("wd:Q17149090")],
};

impl EntityKind {
    /// Every kind, in display order.
    pub const ALL: [EntityKind; 7] = [
        EntityKind::Country,
        EntityKind::Organization,
        EntityKind::Operation,
        EntityKind::Treaty,
        EntityKind::Place,
        EntityKind::Incident,
        EntityKind::Group,
    ];

    /// The declaration of this kind.
    pub fn spec(self) -> &'static KindSpec {
        match self {
            EntityKind::Country => &COUNTRY,
            EntityKind::Organization => &ORGANIZATION,
            EntityKind::Operation => &OPERATION,
            EntityKind::Treaty => &TREATY,
            EntityKind::Place => &PLACE,
            EntityKind::Incident => &INCIDENT,
            EntityKind::Group => &GROUP,
        }
    }

    /// Name used in data files (`country`).
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Looks a kind up by its data-file name, ignoring ASCII case (`Country` works).
    pub fn from_name(name: &str) -> Option<EntityKind> {
        KINDS.iter().find(|spec| spec.name.eq_ignore_ascii_case(name)).map(|spec| spec.kind)
    }

    /// The category declaration with this name, if the kind allows it.
    pub fn category(self, name: &str) -> Option<&'static CategorySpec> {
        self.spec().categories.iter().find(|c| c.name == name)
    }
}

/// The schema.org type of the entities of each kind, and of the categories
/// that have a more specific one, by class name: what pages embed as
/// schema.org JSON-LD for search engines. A category not listed takes its
/// kind's type.
pub static SCHEMA_ORG_TYPES: &[(&str, &str)] = &[
    ("Country", "Country"),
    ("Region", "AdministrativeArea"),
    ("Organization", "Organization"),
    ("Agency", "GovernmentOrganization"),
    ("Operation", "Event"),
    ("Treaty", "Legislation"),
    ("Place", "Place"),
    ("City", "City"),
    ("Sea", "BodyOfWater"),
    ("River", "RiverBodyOfWater"),
    ("Facility", "CivicStructure"),
    ("Incident", "Event"),
    ("Group", "Organization"),
];

impl KindSpec {
    /// The schema.org type (`GovernmentOrganization`) of an entity of this
    /// kind whose category class is `category` (`Agency`), if known.
    pub fn schema_org_type(&self, category: Option<&str>) -> &'static str {
        let find = |class: &str| SCHEMA_ORG_TYPES.iter().find(|(c, _)| *c == class).map(|(_, t)| *t);
        category
            .filter(|c| self.categories.iter().any(|k| k.class_name == *c))
            .and_then(find)
            .or_else(|| find(self.class_name))
            .unwrap_or("Thing")
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Declaration of one relation type.
#[derive(Debug)]
pub struct RelationType {
    /// Name used in data files (`member_of`).
    pub name: &'static str,
    /// Local name of the property in the ontology (`memberOf`).
    pub property: &'static str,
    /// English label.
    pub label_en: &'static str,
    /// Chinese label.
    pub label_zh: &'static str,
    /// What the relation states, in English (the property's comment in the ontology).
    pub description: &'static str,
    /// What the relation states, in Chinese.
    pub description_zh: &'static str,
    /// The allowed (subject kind, object kind) pairs.
    pub allowed: &'static [(EntityKind, EntityKind)],
    /// Roles a relation of this type may carry; empty when roles do not apply.
    pub roles: &'static [&'static str],
    /// True when the relation reads the same in both directions.
    pub symmetric: bool,
    /// The closest Wikidata property, when one exists (`skos:closeMatch`,
    /// unless `alignments` says `Exact("wdt:P...")`).
    pub wikidata_property: Option<&'static str>,
    /// How the property lines up with other vocabularies, besides Wikidata's.
    pub alignments: &'static [Alignment],
    /// Words that state a relation of this type in a sentence, in English
    /// and Chinese, each with the role it implies; `coopgraph extract` reads
    /// them, so a new relation type brings its own.
    pub triggers: &'static [Trigger],
}

/// A word or phrase that states a relation in text (`signed`, `签署`).
#[derive(Debug)]
pub struct Trigger {
    /// The language of the words (`en`, `zh`).
    pub lang: &'static str,
    /// The words, as written in lower case and simplified characters.
    pub words: &'static str,
    /// The role the words give the subject, if any.
    pub role: Option<&'static str>,
    /// True when the object is named before the words and the subject
    /// after them ("X hosted Y" states `Y hosted_by X`).
    pub reversed: bool,
}

const fn en(words: &'static str, role: Option<&'static str>) -> Trigger {
    Trigger { lang: "en", words, role, reversed: false }
}

const fn zh(words: &'static str, role: Option<&'static str>) -> Trigger {
    Trigger { lang: "zh", words, role, reversed: false }
}

const fn en_reversed(words: &'static str) -> Trigger {
    Trigger { lang: "en", words, role: None, reversed: true }
}

const fn en_reversed_as(words: &'static str, role: Option<&'static str>) -> Trigger {
    Trigger { lang: "en", words, role, reversed: true }
}

const fn zh_reversed(words: &'static str) -> Trigger {
    Trigger { lang: "zh", words, role: None, reversed: true }
}

use EntityKind::{
    Country as C, Group as Grp, Incident as Inc, Operation as Op, Organization as Org, Place as Pl, Treaty as T,
};

/// Every relation type, in display order.
pub static RELATION_TYPES: &[RelationType] = &[
    RelationType {
        name: "member_of",
        property: "memberOf",
        label_en: "member of",
        label_zh: "成员",
        description: "The subject is a member (or observer, or partner) of the organization or mechanism.",
        description_zh: "主语是该组织或机制的成员（或观察员、伙伴）。",
        allowed: &[(C, Org), (Org, Org)],
        roles: &["member", "founding_member", "observer", "dialogue_partner", "partner"],
        symmetric: false,
        wikidata_property: Some("P463"),
        alignments: &[Broader("schema:memberOf")],
        triggers: &[
            en("member of", Some("member")),
            en("members of", Some("member")),
            en("member states", Some("member")),
            en("members", Some("member")),
            en("member", Some("member")),
            en("joined", Some("member")),
            en("observer", Some("observer")),
            en("dialogue partner", Some("dialogue_partner")),
            en("founding member", Some("founding_member")),
            zh("成员国", Some("member")),
            zh("成员", Some("member")),
            zh("观察员", Some("observer")),
            zh("对话伙伴", Some("dialogue_partner")),
        ],
    },
    RelationType {
        name: "signed_with",
        property: "signedWith",
        label_en: "signed",
        label_zh: "签署",
        description: "The subject signed, concluded or adopted the treaty or instrument; its other parties are the other signatories. Wikidata states this in the other direction: the treaty has the signatory (P1891).",
        description_zh: "主语签署、缔结或通过了该条约或文书；其他各方为其他签署方。维基数据以相反方向表述：条约具有签署方（P1891）。",
        allowed: &[(C, T), (Org, T)],
        roles: &["signatory", "adopter", "negotiator"],
        symmetric: false,
        wikidata_property: Some("P1891"),
        alignments: &[],
        triggers: &[
            en("signed", Some("signatory")),
            en("concluded", Some("signatory")),
            en("adopted", Some("adopter")),
            en("endorsed", Some("adopter")),
            en("finished the negotiation", Some("negotiator")),
            en("finished negotiations", Some("negotiator")),
            zh("签署", Some("signatory")),
            zh("签订", Some("signatory")),
            zh("缔结", Some("signatory")),
            zh("通过", Some("adopter")),
        ],
    },
    RelationType {
        name: "party_to",
        property: "partyTo",
        label_en: "party to",
        label_zh: "缔约方",
        description: "The subject is bound by the treaty, by ratification, accession or entry into force.",
        description_zh: "主语通过批准、加入或条约生效而受该条约约束。",
        allowed: &[(C, T), (Org, T)],
        roles: &["party", "accession", "ratification"],
        symmetric: false,
        wikidata_property: None,
        alignments: &[],
        triggers: &[
            en("acceded to", Some("accession")),
            en("acceded", Some("accession")),
            en("ratified", Some("ratification")),
            en("party to", Some("party")),
            en("implementing", Some("party")),
            en("implemented", Some("party")),
            zh("加入", Some("accession")),
            zh("批准", Some("ratification")),
            zh("缔约国", Some("party")),
            zh("履行", Some("party")),
        ],
    },
    RelationType {
        name: "participated_in",
        property: "participatedIn",
        label_en: "participated in",
        label_zh: "参与",
        description: "The subject took part in the operation, possibly in a stated role.",
        description_zh: "主语参与了该行动，可能附有所担任的角色。",
        allowed: &[(C, Op), (Org, Op)],
        roles: &["participant", "host", "co_host", "organizer", "lead", "observer", "contributor"],
        symmetric: false,
        wikidata_property: Some("P1344"),
        alignments: &[],
        triggers: &[
            en("took part in", Some("participant")),
            en("takes part in", Some("participant")),
            en("participated in", Some("participant")),
            en("participate in", Some("participant")),
            en("involved in", Some("participant")),
            en("hosted", Some("host")),
            en("co-hosted", Some("co_host")),
            en("organized", Some("organizer")),
            en("launched", Some("organizer")),
            en("kicked off", Some("organizer")),
            en("conducted", Some("participant")),
            en("led", Some("lead")),
            en("attended", Some("participant")),
            en("take part in", Some("participant")),
            en("taking part in", Some("participant")),
            en("took an active part in", Some("participant")),
            en("takes an active part in", Some("participant")),
            en("taking an active part in", Some("participant")),
            en("role in", Some("participant")),
            en_reversed_as("organized by", Some("organizer")),
            en_reversed_as("conducted by", Some("participant")),
            zh("参加", Some("participant")),
            zh("参与", Some("participant")),
            zh("承办", Some("host")),
            zh("主办", Some("host")),
            zh("举办", Some("host")),
            zh("联合举办", Some("co_host")),
            zh("组织", Some("organizer")),
            zh("开展", Some("participant")),
            zh("牵头", Some("lead")),
            zh("出席", Some("participant")),
        ],
    },
    RelationType {
        name: "part_of",
        property: "partOf",
        label_en: "part of",
        label_zh: "组成部分",
        description: "The subject is a component of the object: an operation within a campaign, a body within an organization, a protocol within a convention. Subject and object are of the same kind.",
        description_zh: "主语是宾语的组成部分：专项行动中的一项行动、组织中的一个机构、公约中的一项议定书。主语与宾语属于同一类。",
        allowed: &[(Op, Op), (Org, Org), (T, T)],
        roles: &[],
        symmetric: false,
        wikidata_property: Some("P361"),
        alignments: &[Broader("dcterms:isPartOf"), Exact("wdt:P361")],
        triggers: &[en("part of", None), en("within", None), zh("之一", None), zh("下属", None)],
    },
    RelationType {
        name: "deployed_to",
        property: "deployedTo",
        label_en: "deployed to",
        label_zh: "部署于",
        description: "The operation (e.g. a peacekeeping deployment) was sent to the country or the place (a sea, a mission area, a city).",
        description_zh: "该行动（如维和部署）被派往该国家或地区，或该地点（海域、任务区、城市）。",
        allowed: &[(Op, C), (Op, Pl)],
        roles: &[],
        symmetric: false,
        wikidata_property: Some("P276"),
        alignments: &[],
        triggers: &[en("deployed to", None), en("sent to", None), zh("赴", None), zh("派往", None)],
    },
    RelationType {
        name: "hosted_by",
        property: "hostedBy",
        label_en: "hosted by",
        label_zh: "主办或所在地",
        description: "The operation or organization was held in, hosted by or seated in the object.",
        description_zh: "该行动或组织在宾语处举行、由宾语主办或设于宾语处。",
        allowed: &[(Op, C), (Op, Org), (Op, Pl), (Org, C), (Org, Org), (Org, Pl)],
        roles: &[],
        symmetric: false,
        wikidata_property: Some("P276"),
        alignments: &[],
        triggers: &[
            en("held in", None),
            en("hosted by", None),
            en_reversed("hosted"),
            zh_reversed("承办"),
            zh_reversed("主办"),
        ],
    },
    RelationType {
        name: "initiated_by",
        property: "initiatedBy",
        label_en: "initiated by",
        label_zh: "发起方",
        description: "The object proposed, launched or founded the operation, organization or instrument.",
        description_zh: "宾语提出、发起或创建了该行动、组织或文书。",
        allowed: &[(Op, C), (Op, Org), (Org, C), (Org, Org), (T, C), (T, Org)],
        roles: &[],
        symmetric: false,
        wikidata_property: Some("P112"),
        alignments: &[],
        triggers: &[
            en("initiated by", None),
            en("proposed by", None),
            en("launched by", None),
            en_reversed("initiated"),
            en_reversed("proposed"),
            en_reversed("launched"),
            zh_reversed("倡导"),
            zh_reversed("发起"),
            zh_reversed("倡议"),
        ],
    },
    RelationType {
        name: "cooperates_with",
        property: "cooperatesWith",
        label_en: "cooperates with",
        label_zh: "合作",
        description: "The two parties have a stated cooperation arrangement (a mechanism, hotline, dialogue or joint work). The relation reads the same in both directions.",
        description_zh: "双方之间有明确的合作安排（机制、热线、对话或共同工作）。该关系在两个方向上含义相同。",
        allowed: &[(C, C), (C, Org), (Org, C), (Org, Org)],
        roles: &[],
        symmetric: true,
        wikidata_property: None,
        alignments: &[],
        triggers: &[
            en("cooperation with", None),
            en("cooperated with", None),
            en("cooperate with", None),
            en("cooperation between", None),
            en("mechanisms with", None),
            en("mechanism with", None),
            en("works with", None),
            en("work with", None),
            en("worked with", None),
            en("partnership with", None),
            en("agreements with", None),
            zh("合作", None),
        ],
    },
    RelationType {
        name: "established_under",
        property: "establishedUnder",
        label_en: "established under",
        label_zh: "依据",
        description: "The organization or operation was set up under the framework of the treaty or instrument.",
        description_zh: "该组织或行动是在该条约或文书的框架下设立的。",
        allowed: &[(Org, T), (Op, T)],
        roles: &[],
        symmetric: false,
        wikidata_property: None,
        alignments: &[],
        triggers: &[
            en("within the framework of", None),
            en("under the framework of", None),
            en("established under", None),
            // 在X框架内: the framework comes before the words.
            zh_reversed("框架内"),
            zh_reversed("框架下"),
        ],
    },
    RelationType {
        name: "negotiated",
        property: "negotiated",
        label_en: "negotiated",
        label_zh: "谈判",
        description: "The subject negotiated the treaty or instrument with its other parties, whether the negotiation is finished or under way and whether or not the instrument has been signed since.",
        description_zh: "主语与其他各方就该条约或文书进行了谈判，无论谈判已经完成还是仍在进行，也无论该文书此后是否已签署。",
        allowed: &[(C, T), (Org, T)],
        roles: &[],
        symmetric: false,
        wikidata_property: None,
        alignments: &[],
        triggers: &[en("negotiations on", None), en("negotiation of", None), en("negotiate", None), zh("谈判", None)],
    },
    RelationType {
        name: "negotiates_with",
        property: "negotiatesWith",
        label_en: "negotiated a treaty with",
        label_zh: "与之谈判条约",
        description: "The two parties negotiated, or finished negotiating, a treaty or instrument with each other that the text does not name; when the instrument is named, its parties are linked to it with negotiated. The relation reads the same in both directions.",
        description_zh: "双方相互就某项文本未指明的条约或文书进行了谈判或完成了谈判；文书有名称时，各方以 negotiated 与该文书相连。该关系在两个方向上含义相同。",
        allowed: &[(C, C), (C, Org), (Org, C), (Org, Org)],
        roles: &[],
        symmetric: true,
        wikidata_property: None,
        alignments: &[],
        triggers: &[en("negotiations on", None), en("negotiated with", None), zh("谈判", None)],
    },
    RelationType {
        name: "consults_with",
        property: "consultsWith",
        label_en: "holds consultations with",
        label_zh: "磋商对话",
        description: "The two parties hold consultations or a dialogue with each other (bilateral talks, a high-level or security dialogue), a strand of cooperation the text names on its own. The relation reads the same in both directions.",
        description_zh: "双方相互进行磋商或对话（双边会谈、高级别对话或安全对话），是文本单独提到的一种合作方式。该关系在两个方向上含义相同。",
        allowed: &[(C, C), (C, Org), (Org, C), (Org, Org)],
        roles: &[],
        symmetric: true,
        wikidata_property: None,
        alignments: &[],
        triggers: &[
            en("held bilateral", None),
            en("security dialogue", None),
            en("consultations with", None),
            en("consultation with", None),
            en("dialogue with", None),
            zh("联合对话", None),
            zh("安全对话", None),
            zh("磋商", None),
            zh("对话", None),
            zh("会谈", None),
        ],
    },
    RelationType {
        name: "submitted_to",
        property: "submittedTo",
        label_en: "submitted to",
        label_zh: "提交至",
        description: "The treaty or instrument was submitted to the body (an assembly, a council, an organization) for its consideration; who submitted it is stated with initiated_by or signed_with.",
        description_zh: "该条约或文书被提交至该机构（大会、理事会或组织）审议；提交方以 initiated_by 或 signed_with 表示。",
        allowed: &[(T, Org)],
        roles: &[],
        symmetric: false,
        wikidata_property: None,
        alignments: &[],
        triggers: &[en("submitted", None), zh("提交", None)],
    },
    RelationType {
        name: "adopted_at",
        property: "adoptedAt",
        label_en: "adopted at",
        label_zh: "通过于",
        description: "The treaty or instrument was adopted or endorsed at the meeting, summit or forum.",
        description_zh: "该条约或文书在该会议、峰会或论坛上获得通过或认可。",
        allowed: &[(T, Op), (T, Org)],
        roles: &["adoption", "endorsement"],
        symmetric: false,
        wikidata_property: None,
        alignments: &[],
        triggers: &[
            en("adopted at", Some("adoption")),
            en("endorsed at", Some("endorsement")),
            zh("会议通过", Some("adoption")),
        ],
    },
    RelationType {
        name: "targets",
        property: "targets",
        label_en: "targets",
        label_zh: "打击",
        description: "The actor or operation is directed against the group or the incident: it combats, pursues or investigates it.",
        description_zh: "该行为体或行动针对该团体或事件：打击、追缉或调查。",
        allowed: &[(C, Grp), (C, Inc), (Org, Grp), (Org, Inc), (Op, Grp), (Op, Inc)],
        roles: &[],
        symmetric: false,
        wikidata_property: Some("P533"),
        alignments: &[],
        triggers: &[
            en("combating", None),
            en("fight against", None),
            en("blow to", None),
            zh("打击", None),
            zh("打掉", None),
        ],
    },
    RelationType {
        name: "responds_to",
        property: "respondsTo",
        label_en: "responds to",
        label_zh: "应对",
        description: "The operation or organization was set up or sent in answer to the incident: a relief mission after an earthquake, a search after an aircraft was lost, a mechanism after an attack.",
        description_zh: "该行动或组织是为应对该事件而设立或派出的：地震后的救援任务、飞机失踪后的搜寻、袭击后建立的机制。",
        allowed: &[(Op, Inc), (Org, Inc)],
        roles: &[],
        symmetric: false,
        wikidata_property: None,
        alignments: &[],
        triggers: &[en("in the wake of", None), en("in response to", None), zh("发生后", None)],
    },
    RelationType {
        name: "located_in",
        property: "locatedIn",
        label_en: "located in",
        label_zh: "位于",
        description: "The place or incident lies in, or happened in, the larger place or the country.",
        description_zh: "该地点位于、或该事件发生于较大的地点或该国家。",
        allowed: &[(Pl, Pl), (Pl, C), (Inc, Pl), (Inc, C)],
        roles: &[],
        symmetric: false,
        wikidata_property: Some("P131"),
        alignments: &[],
        triggers: &[en("located in", None), zh("位于", None), zh("境内", None)],
    },
];

/// How a figure's value relates to the number the text means: `=` (the
/// number itself, the default), `>` / `≥` (more than / at least), `<` / `≤`
/// (less than / at most) or `~` (about).
#[derive(Debug, PartialEq, Eq)]
pub struct Comparator {
    /// The sign written in data files and in RDF (`≥`).
    pub symbol: &'static str,
    /// English label ("at least").
    pub label_en: &'static str,
    /// Chinese label.
    pub label_zh: &'static str,
}

/// Every comparator a figure may carry; the first is the default.
pub static COMPARATORS: &[Comparator] = &[
    Comparator { symbol: "=", label_en: "exactly", label_zh: "等于" },
    Comparator { symbol: ">", label_en: "more than", label_zh: "超过" },
    Comparator { symbol: "≥", label_en: "at least", label_zh: "至少" },
    Comparator { symbol: "<", label_en: "less than", label_zh: "少于" },
    Comparator { symbol: "≤", label_en: "at most", label_zh: "至多" },
    Comparator { symbol: "~", label_en: "about", label_zh: "约" },
];

impl Comparator {
    /// Looks a comparator up by its sign.
    pub fn from_symbol(symbol: &str) -> Option<&'static Comparator> {
        COMPARATORS.iter().find(|c| c.symbol == symbol)
    }

    /// The default comparator, `=`.
    pub fn exact() -> &'static Comparator {
        COMPARATORS.first().unwrap_or(&EXACT)
    }

    /// True for the default comparator, `=`.
    pub fn is_exact(&self) -> bool {
        self.symbol == "="
    }
}

static EXACT: Comparator = Comparator { symbol: "=", label_en: "exactly", label_zh: "等于" };

impl RelationType {
    /// Looks a relation type up by its data-file name.
    pub fn from_name(name: &str) -> Option<&'static RelationType> {
        RELATION_TYPES.iter().find(|r| r.name == name)
    }

    /// True when `subject -> object` is one of the allowed pairs.
    pub fn allows(&self, subject: EntityKind, object: EntityKind) -> bool {
        self.allowed.iter().any(|&(s, o)| s == subject && o == object)
    }

    /// The kinds allowed as subject, without repeats, in declaration order.
    pub fn subject_kinds(&self) -> Vec<EntityKind> {
        dedup(self.allowed.iter().map(|&(s, _)| s))
    }

    /// The kinds allowed as object, without repeats, in declaration order.
    pub fn object_kinds(&self) -> Vec<EntityKind> {
        dedup(self.allowed.iter().map(|&(_, o)| o))
    }

    /// Position of this type in [`RELATION_TYPES`], a stable small index.
    pub fn index(&self) -> usize {
        RELATION_TYPES.iter().position(|r| std::ptr::eq(r, self)).unwrap_or(0)
    }
}

fn dedup(kinds: impl Iterator<Item = EntityKind>) -> Vec<EntityKind> {
    let mut out = Vec::new();
    for kind in kinds {
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    out
}

impl fmt::Display for RelationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for RelationType {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for RelationType {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_table_follows_enum_order() {
        for (spec, kind) in KINDS.iter().zip(EntityKind::ALL) {
            assert_eq!(spec.kind, kind);
        }
        assert_eq!(KINDS.len(), EntityKind::ALL.len());
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<_> = RELATION_TYPES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RELATION_TYPES.len());
        let mut props: Vec<_> = RELATION_TYPES.iter().map(|r| r.property).collect();
        props.sort_unstable();
        props.dedup();
        assert_eq!(props.len(), RELATION_TYPES.len());
    }

    #[test]
    fn default_categories_exist() {
        for spec in KINDS {
            assert!(spec.kind.category(spec.default_category).is_some(), "{}", spec.name);
        }
    }

    #[test]
    fn member_of_allows_country_to_organization_only() {
        let member_of = RelationType::from_name("member_of").unwrap();
        assert!(member_of.allows(EntityKind::Country, EntityKind::Organization));
        assert!(!member_of.allows(EntityKind::Country, EntityKind::Treaty));
        assert_eq!(member_of.subject_kinds(), vec![EntityKind::Country, EntityKind::Organization]);
    }

    #[test]
    fn kind_names_parse_case_insensitively() {
        assert_eq!(EntityKind::from_name("Country"), Some(EntityKind::Country));
        assert_eq!(EntityKind::from_name("treaty"), Some(EntityKind::Treaty));
        assert_eq!(EntityKind::from_name("state"), None);
    }

    #[test]
    fn every_relation_type_has_triggers_in_both_languages() {
        for r in RELATION_TYPES {
            for lang in ["en", "zh"] {
                assert!(r.triggers.iter().any(|t| t.lang == lang), "{} has no {lang} trigger", r.name);
            }
            for t in r.triggers {
                assert!(t.role.is_none_or(|role| r.roles.contains(&role)), "{}: role {:?}", r.name, t.role);
            }
        }
    }

    #[test]
    fn every_kind_has_a_schema_org_type_and_categories_refine_it() {
        for spec in KINDS {
            assert_ne!(spec.schema_org_type(None), "Thing", "{}", spec.name);
        }
        assert_eq!(EntityKind::Organization.spec().schema_org_type(Some("Agency")), "GovernmentOrganization");
        assert_eq!(EntityKind::Organization.spec().schema_org_type(Some("Forum")), "Organization");
        // A category of another kind is not this kind's.
        assert_eq!(EntityKind::Treaty.spec().schema_org_type(Some("Agency")), "Legislation");
        assert_eq!(EntityKind::Place.spec().schema_org_type(Some("River")), "RiverBodyOfWater");
        assert_eq!(EntityKind::Place.spec().schema_org_type(Some("Port")), "Place");
        let known: Vec<&str> = KINDS
            .iter()
            .flat_map(|k| std::iter::once(k.class_name).chain(k.categories.iter().map(|c| c.class_name)))
            .collect();
        for (class, _) in SCHEMA_ORG_TYPES {
            assert!(known.contains(class), "{class} is not a kind or category class");
        }
    }

    #[test]
    fn relation_index_is_position() {
        for (i, r) in RELATION_TYPES.iter().enumerate() {
            assert_eq!(r.index(), i);
        }
    }
}
