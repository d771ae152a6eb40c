//! The one declaration of entity kinds and relation types.
//!
//! Everything else (the loader's checks, the RDF vocabulary, the views, the
//! statistics) reads these tables; adding a relation type means adding one
//! entry to [`RELATION_TYPES`] and nothing else.

use std::fmt;

/// The four kinds of entity in the graph.
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
}

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
}

const fn cat(
    name: &'static str,
    class_name: &'static str,
    label_en: &'static str,
    label_zh: &'static str,
) -> CategorySpec {
    CategorySpec { name, class_name, label_en, label_zh, binding: None }
}

const fn instrument(
    name: &'static str,
    class_name: &'static str,
    label_en: &'static str,
    label_zh: &'static str,
    binding: bool,
) -> CategorySpec {
    CategorySpec { name, class_name, label_en, label_zh, binding: Some(binding) }
}

/// Every entity kind, in display order (the order of [`EntityKind::ALL`]).
pub static KINDS: [&KindSpec; 4] = [&COUNTRY, &ORGANIZATION, &OPERATION, &TREATY];

static COUNTRY: KindSpec = KindSpec {
    kind: EntityKind::Country,
    name: "country",
    class_name: "Country",
    label_en: "country",
    label_zh: "国家",
    categories: &[
        cat("state", "State", "sovereign state", "主权国家"),
        cat("region", "Region", "region or territory", "地区"),
    ],
    default_category: "state",
};

static ORGANIZATION: KindSpec = KindSpec {
    kind: EntityKind::Organization,
    name: "organization",
    class_name: "Organization",
    label_en: "organization",
    label_zh: "组织",
    categories: &[
        cat("international_organization", "InternationalOrganization", "international organization", "国际组织"),
        cat("forum", "Forum", "forum or conference", "论坛"),
        cat("mechanism", "CooperationMechanism", "cooperation or dialogue mechanism", "合作机制"),
        cat("agency", "Agency", "national agency", "国家机构"),
    ],
    default_category: "international_organization",
};

static OPERATION: KindSpec = KindSpec {
    kind: EntityKind::Operation,
    name: "operation",
    class_name: "Operation",
    label_en: "operation",
    label_zh: "行动",
    categories: &[
        cat("campaign", "Campaign", "campaign", "专项行动"),
        cat("joint_operation", "JointOperation", "joint operation", "联合行动"),
        cat("patrol", "Patrol", "joint patrol", "联合巡逻"),
        cat("peacekeeping", "PeacekeepingDeployment", "peacekeeping deployment", "维和行动"),
        cat("exercise", "Exercise", "exercise", "演习"),
        cat("escort", "EscortMission", "escort mission", "护航行动"),
        cat("relief", "ReliefMission", "rescue or relief mission", "救援行动"),
        cat("event", "CooperationEvent", "meeting, training or other event", "合作活动"),
    ],
    default_category: "joint_operation",
};

static TREATY: KindSpec = KindSpec {
    kind: EntityKind::Treaty,
    name: "treaty",
    class_name: "Treaty",
    label_en: "treaty or instrument",
    label_zh: "条约或文书",
    categories: &[
        instrument("convention", "Convention", "convention", "公约", true),
        instrument("treaty", "BilateralTreaty", "treaty", "条约", true),
        instrument("agreement", "Agreement", "agreement", "协定", true),
        instrument("memorandum", "Memorandum", "memorandum of understanding", "谅解备忘录", false),
        instrument("declaration", "Declaration", "declaration", "宣言", false),
        instrument("principles", "Principles", "principles", "原则", false),
        instrument("action_plan", "ActionPlan", "action plan", "行动计划", false),
        instrument("initiative", "Initiative", "initiative", "倡议", false),
    ],
    default_category: "treaty",
};

impl EntityKind {
    /// Every kind, in display order.
    pub const ALL: [EntityKind; 4] =
        [EntityKind::Country, EntityKind::Organization, EntityKind::Operation, EntityKind::Treaty];

    /// The declaration of this kind.
    pub fn spec(self) -> &'static KindSpec {
        match self {
            EntityKind::Country => &COUNTRY,
            EntityKind::Organization => &ORGANIZATION,
            EntityKind::Operation => &OPERATION,
            EntityKind::Treaty => &TREATY,
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
    /// What the relation states, in one line.
    pub description: &'static str,
    /// The allowed (subject kind, object kind) pairs.
    pub allowed: &'static [(EntityKind, EntityKind)],
    /// Roles a relation of this type may carry; empty when roles do not apply.
    pub roles: &'static [&'static str],
    /// True when the relation reads the same in both directions.
    pub symmetric: bool,
    /// The closest Wikidata property, when one exists.
    pub wikidata_property: Option<&'static str>,
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

use EntityKind::{Country as C, Operation as Op, Organization as Org, Treaty as T};

/// Every relation type, in display order.
pub static RELATION_TYPES: &[RelationType] = &[
    RelationType {
        name: "member_of",
        property: "memberOf",
        label_en: "member of",
        label_zh: "成员",
        description: "The subject is a member (or observer, or partner) of the organization or mechanism.",
        allowed: &[(C, Org), (Org, Org)],
        roles: &["member", "founding_member", "observer", "dialogue_partner", "partner"],
        symmetric: false,
        wikidata_property: Some("P463"),
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
        description: "The subject signed, concluded or adopted the treaty or instrument; its other parties are the other signatories.",
        allowed: &[(C, T), (Org, T)],
        roles: &["signatory", "adopter", "negotiator"],
        symmetric: false,
        wikidata_property: Some("P1891"),
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
        allowed: &[(C, T), (Org, T)],
        roles: &["party", "accession", "ratification"],
        symmetric: false,
        wikidata_property: None,
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
        allowed: &[(C, Op), (Org, Op)],
        roles: &["participant", "host", "co_host", "organizer", "lead", "observer", "contributor"],
        symmetric: false,
        wikidata_property: Some("P1344"),
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
        description: "The subject is a component of the object: an operation within a campaign, a body within an organization, a protocol within a convention.",
        allowed: &[(Op, Op), (Org, Org), (T, T)],
        roles: &[],
        symmetric: false,
        wikidata_property: Some("P361"),
        triggers: &[en("part of", None), en("within", None), zh("之一", None), zh("下属", None)],
    },
    RelationType {
        name: "deployed_to",
        property: "deployedTo",
        label_en: "deployed to",
        label_zh: "部署于",
        description: "The operation (e.g. a peacekeeping deployment) was sent to the country.",
        allowed: &[(Op, C)],
        roles: &[],
        symmetric: false,
        wikidata_property: Some("P276"),
        triggers: &[en("deployed to", None), en("sent to", None), zh("赴", None), zh("派往", None)],
    },
    RelationType {
        name: "hosted_by",
        property: "hostedBy",
        label_en: "hosted by",
        label_zh: "主办或所在地",
        description: "The operation or organization was held in, hosted by or seated in the object.",
        allowed: &[(Op, C), (Op, Org), (Org, C), (Org, Org)],
        roles: &[],
        symmetric: false,
        wikidata_property: Some("P276"),
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
        allowed: &[(Op, C), (Op, Org), (Org, C), (Org, Org), (T, C), (T, Org)],
        roles: &[],
        symmetric: false,
        wikidata_property: Some("P112"),
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
        description: "The two parties have a stated cooperation arrangement (a mechanism, hotline, dialogue or joint work).",
        allowed: &[(C, C), (C, Org), (Org, C), (Org, Org)],
        roles: &[],
        symmetric: true,
        wikidata_property: None,
        triggers: &[
            en("cooperation with", None),
            en("cooperated with", None),
            en("cooperate with", None),
            en("cooperation between", None),
            en("consultations with", None),
            en("consultation with", None),
            en("mechanisms with", None),
            en("mechanism with", None),
            en("dialogue with", None),
            en("works with", None),
            en("work with", None),
            en("worked with", None),
            en("partnership with", None),
            en("treaties with", None),
            en("agreements with", None),
            zh("合作", None),
            zh("磋商", None),
            zh("对话", None),
            zh("会谈", None),
        ],
    },
    RelationType {
        name: "established_under",
        property: "establishedUnder",
        label_en: "established under",
        label_zh: "依据",
        description: "The organization or operation was set up under the framework of the treaty or instrument.",
        allowed: &[(Org, T), (Op, T)],
        roles: &[],
        symmetric: false,
        wikidata_property: None,
        triggers: &[
            en("within the framework of", None),
            en("under the framework of", None),
            en("established under", None),
            // 在X框架内: the framework comes before the words.
            zh_reversed("框架内"),
            zh_reversed("框架下"),
        ],
    },
];

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
