//! The types and properties the reconciliation service offers, read from
//! the schema's tables: a type per entity kind ([`KINDS`]), a property per
//! relation type ([`RELATION_TYPES`]) plus the names and Wikidata id every
//! entity has. Ids are local names in the service's schema space (the
//! vocabulary namespace): the type `Country` is `coop:Country`, the
//! property `memberOf` is `coop:memberOf`. A client may also name them by
//! their data-file names (`country`, `member_of`) or full IRIs.

use coopgraph_model::schema::{EntityKind, KINDS, KindSpec, RELATION_TYPES, RelationType};
use coopgraph_rdf::Namespaces;

use crate::i18n::Lang;

/// The type of an entity kind: its class's local name.
pub(crate) fn type_id(kind: &KindSpec) -> &'static str {
    kind.class_name
}

/// The name of a kind's type in `lang`.
pub(crate) fn type_name(kind: &KindSpec, lang: Lang) -> &'static str {
    lang.t(kind.label_en, kind.label_zh)
}

/// The kind a type id names: its class name, its data-file name (any
/// case) or its class IRI.
pub(crate) fn kind_of_type(ns: &Namespaces, id: &str) -> Option<&'static KindSpec> {
    let local = id.strip_prefix(ns.vocab()).unwrap_or(id);
    KINDS.iter().copied().find(|k| k.class_name == local || k.name.eq_ignore_ascii_case(local))
}

/// A property of entities that queries may compare and data extension
/// may fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Property {
    /// The label in a language (`rdfs:label`).
    Label(Lang),
    /// The Wikidata item (`owl:sameAs wd:Q…`), as its id (`Q148`).
    Wikidata,
    /// The entities a relation of this type links the entity to.
    Relation(&'static RelationType),
}

/// The properties that are not relations, in the order they are offered.
const NAMES: [Property; 3] = [Property::Label(Lang::En), Property::Label(Lang::Zh), Property::Wikidata];

impl Property {
    /// The id: `label_en`, `label_zh`, `wikidata` (the columns of the
    /// import tables), or the relation's property (`memberOf`).
    pub(crate) fn id(self) -> &'static str {
        match self {
            Property::Label(Lang::En) => "label_en",
            Property::Label(Lang::Zh) => "label_zh",
            Property::Wikidata => "wikidata",
            Property::Relation(r) => r.property,
        }
    }

    /// The name in `lang`.
    pub(crate) fn name(self, lang: Lang) -> &'static str {
        match self {
            Property::Label(Lang::En) => lang.t("English label", "英文名称"),
            Property::Label(Lang::Zh) => lang.t("Chinese label", "中文名称"),
            Property::Wikidata => lang.t("Wikidata item", "维基数据条目"),
            Property::Relation(r) => lang.t(r.label_en, r.label_zh),
        }
    }

    /// What it holds, in `lang`.
    pub(crate) fn description(self, lang: Lang) -> &'static str {
        match self {
            Property::Label(Lang::En) => lang.t("The entity's name in English.", "实体的英文名称。"),
            Property::Label(Lang::Zh) => lang.t("The entity's name in Chinese.", "实体的中文名称。"),
            Property::Wikidata => {
                lang.t("The id of the same entity in Wikidata (Q…).", "维基数据中同一实体的编号（Q…）。")
            }
            Property::Relation(r) => lang.t(r.description, r.description_zh),
        }
    }

    /// Whether entities of `kind` can have it: every kind has names; a
    /// relation, when the kind is among its subjects (or its objects, for a
    /// relation that reads the same both ways).
    pub(crate) fn applies_to(self, kind: EntityKind) -> bool {
        match self {
            Property::Label(_) | Property::Wikidata => true,
            Property::Relation(r) => r.allowed.iter().any(|&(s, o)| s == kind || (r.symmetric && o == kind)),
        }
    }

    /// The kind of its values when they are entities of a single kind.
    pub(crate) fn value_kind(self) -> Option<EntityKind> {
        let Property::Relation(r) = self else { return None };
        let mut kinds = r.object_kinds();
        if r.symmetric {
            for k in r.subject_kinds() {
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
        }
        match kinds.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
}

/// Every property, in the order offered: names first, then the relations
/// in the schema's order.
pub(crate) fn properties() -> impl Iterator<Item = Property> {
    NAMES.into_iter().chain(RELATION_TYPES.iter().map(Property::Relation))
}

/// The property an id names: its id, a relation's data-file name, or the
/// relation property's IRI.
pub(crate) fn property(ns: &Namespaces, id: &str) -> Option<Property> {
    let local = id.strip_prefix(ns.vocab()).unwrap_or(id);
    properties().find(|p| p.id() == local || matches!(p, Property::Relation(r) if r.name == local))
}

/// Every property id, for messages.
pub(crate) fn property_ids() -> String {
    properties().map(Property::id).collect::<Vec<_>>().join(", ")
}

/// Every type id, for messages.
pub(crate) fn type_ids() -> String {
    KINDS.iter().map(|k| type_id(k)).collect::<Vec<_>>().join(", ")
}

/// Does `prefix` (folded) start `text` (folded), or one of its words?
pub(crate) fn starts(prefix: &str, text: &str) -> bool {
    let text = coopgraph_search::normalize(text);
    text.starts_with(prefix) || text.split(|c: char| !c.is_alphanumeric()).any(|w| w.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_and_properties_come_from_the_schema_tables() {
        let ns = Namespaces::default();
        assert_eq!(KINDS.len(), type_ids().split(", ").count());
        for kind in KINDS {
            assert_eq!(kind_of_type(&ns, kind.class_name).map(|k| k.kind), Some(kind.kind));
            assert_eq!(kind_of_type(&ns, kind.name).map(|k| k.kind), Some(kind.kind));
            let iri = format!("{}{}", ns.vocab(), kind.class_name);
            assert_eq!(kind_of_type(&ns, &iri).map(|k| k.kind), Some(kind.kind));
        }
        assert!(kind_of_type(&ns, "Person").is_none());
        assert_eq!(properties().count(), RELATION_TYPES.len() + 3);
        for r in RELATION_TYPES {
            assert_eq!(property(&ns, r.property), Some(Property::Relation(r)));
            assert_eq!(property(&ns, r.name), Some(Property::Relation(r)));
        }
        assert_eq!(property(&ns, "label_zh"), Some(Property::Label(Lang::Zh)));
        assert!(property(&ns, "label_fr").is_none());
    }

    #[test]
    fn a_kind_has_the_relations_whose_subjects_it_may_be() {
        let member_of = RelationType::from_name("member_of").unwrap();
        assert!(Property::Relation(member_of).applies_to(EntityKind::Country));
        assert!(!Property::Relation(member_of).applies_to(EntityKind::Treaty));
        assert_eq!(Property::Relation(member_of).value_kind(), Some(EntityKind::Organization));
        assert!(Property::Wikidata.applies_to(EntityKind::Treaty));
    }

    #[test]
    fn prefixes_match_the_start_of_any_word_folded() {
        assert!(starts("mem", "member of"));
        assert!(starts("of", "member of"));
        assert!(!starts("emb", "member of"));
        assert!(starts("成员", "成員"));
    }
}
