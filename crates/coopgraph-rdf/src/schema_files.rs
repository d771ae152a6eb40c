//! The files written from the schema table (`coopgraph_model::schema`):
//! the generated blocks of `ontology/coopgraph.ttl` (kind and category
//! classes, relation properties, the entity unions), of
//! `ontology/shapes.ttl` (the shapes of kinds, categories, relations, roles
//! and statement nodes), of `data/README.md` (the tables of categories and
//! relation types), and the whole of `ontology/context.jsonld`.
//!
//! A block sits between a line holding `BEGIN generated: NAME` and one
//! holding `END generated: NAME` (in a comment of the file's language); the
//! prose around it is written by hand. The files are committed, and the
//! test `crates/coopgraph-rdf/tests/schema_files.rs` checks that they are
//! byte-identical to what this module writes (`COOPGRAPH_BLESS=1` rewrites
//! them), so the table is the one declaration of the model.
//!
//! ```
//! use coopgraph_rdf::schema_files::{Model, generated_files};
//!
//! let files = generated_files(&Model::schema());
//! assert!(files.iter().any(|f| f.path == "ontology/shapes.ttl"));
//! ```

use coopgraph_model::schema::{Alignment, COMPARATORS, EntityKind, KINDS, KindSpec, RELATION_TYPES, RelationType};

use crate::vocab;

/// The tables a generation reads: the schema's own, or others in tests.
#[derive(Debug, Clone, Copy)]
pub struct Model<'a> {
    /// The entity kinds, in display order.
    pub kinds: &'a [&'a KindSpec],
    /// The relation types, in display order.
    pub relations: &'a [RelationType],
}

impl Model<'static> {
    /// The model of `coopgraph_model::schema`.
    pub fn schema() -> Model<'static> {
        Model { kinds: &KINDS, relations: RELATION_TYPES }
    }
}

/// What is generated of one file: its whole text, or named blocks inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// The whole file.
    Whole(String),
    /// Blocks, each `(NAME, text)`, to put between the file's markers.
    Blocks(Vec<(&'static str, String)>),
}

/// One generated file, its path relative to the repository root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path from the repository root (`ontology/shapes.ttl`).
    pub path: &'static str,
    /// What is generated of it.
    pub content: Content,
}

/// A file whose markers do not fit what is generated for it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaFileError {
    /// A block's BEGIN or END line is missing, repeated, or out of order.
    #[error(
        "{path}: block \"{block}\" needs one line with \"BEGIN generated: {block}\" and, after it, one with \"END generated: {block}\""
    )]
    Markers {
        /// The file.
        path: String,
        /// The block's name.
        block: String,
    },
}

/// Every generated file, in a fixed order.
pub fn generated_files(model: &Model<'_>) -> Vec<GeneratedFile> {
    vec![
        GeneratedFile {
            path: "ontology/coopgraph.ttl",
            content: Content::Blocks(vec![
                ("kinds", ontology_kinds(model)),
                ("relations", ontology_relations(model)),
                ("entity-unions", ontology_entity_unions(model)),
            ]),
        },
        GeneratedFile {
            path: "ontology/shapes.ttl",
            content: Content::Blocks(vec![
                ("entities", shapes_entities(model)),
                ("relations", shapes_relations(model)),
                ("figure-entities", shapes_figure_entities(model)),
            ]),
        },
        GeneratedFile { path: "ontology/context.jsonld", content: Content::Whole(context(model)) },
        GeneratedFile {
            path: "data/README.md",
            content: Content::Blocks(vec![
                ("categories", readme_categories(model)),
                ("relations", readme_relations(model)),
            ]),
        },
    ]
}

impl GeneratedFile {
    /// The file's text with the generated parts put in: `existing` with every
    /// block replaced, or the whole text.
    pub fn apply(&self, existing: &str) -> Result<String, SchemaFileError> {
        match &self.content {
            Content::Whole(text) => Ok(text.clone()),
            Content::Blocks(blocks) => {
                let mut text = existing.to_owned();
                for (name, block) in blocks {
                    text = splice(&text, name, block).ok_or_else(|| SchemaFileError::Markers {
                        path: self.path.to_owned(),
                        block: (*name).to_owned(),
                    })?;
                }
                Ok(text)
            }
        }
    }
}

/// `text` with the lines between the markers of block `name` replaced by `block`.
fn splice(text: &str, name: &str, block: &str) -> Option<String> {
    let begin = format!("BEGIN generated: {name}");
    let end = format!("END generated: {name}");
    let marker = |line: &str, m: &str| {
        line.find(m).is_some_and(|at| {
            let rest = line.get(at + m.len()..).unwrap_or("");
            !rest.starts_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_')
        })
    };
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let begins: Vec<usize> = lines.iter().enumerate().filter(|(_, l)| marker(l, &begin)).map(|(i, _)| i).collect();
    let ends: Vec<usize> = lines.iter().enumerate().filter(|(_, l)| marker(l, &end)).map(|(i, _)| i).collect();
    let (&[b], &[e]) = (begins.as_slice(), ends.as_slice()) else { return None };
    if e <= b {
        return None;
    }
    let tail = lines.split_off(e);
    lines.truncate(b + 1);
    let mut out: String = lines.concat();
    out.push_str(block);
    out.push_str(&tail.concat());
    Some(out)
}

// ---------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------

fn spec<'a>(model: &Model<'a>, kind: EntityKind) -> Option<&'a KindSpec> {
    model.kinds.iter().copied().find(|k| k.kind == kind)
}

fn class(model: &Model<'_>, kind: EntityKind) -> String {
    format!("coop:{}", spec(model, kind).map_or("Thing", |k| k.class_name))
}

fn kind_name(model: &Model<'_>, kind: EntityKind) -> &'static str {
    spec(model, kind).map_or("entity", |k| k.name)
}

/// A Turtle string literal.
fn lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// "a country", "an organization".
fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// "A or B", "A, B or C".
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// "a coop:Country or a coop:Organization".
fn classes_with_articles(classes: &[String]) -> String {
    let named: Vec<String> = classes.iter().map(|c| format!("a {c}")).collect();
    or_list(&named)
}

/// `sh:class X` for one class, `sh:or ( [ sh:class X ] ... )` for several.
fn class_constraint(classes: &[String]) -> String {
    match classes {
        [one] => format!("sh:class {one}"),
        many => {
            let members: Vec<String> = many.iter().map(|c| format!("[ sh:class {c} ]")).collect();
            format!("sh:or ( {} )", members.join(" "))
        }
    }
}

/// A class or an anonymous union class, for `rdfs:domain` and `rdfs:range`.
fn class_or_union(classes: &[String]) -> String {
    match classes {
        [one] => one.clone(),
        many => format!("[ a owl:Class ; owl:unionOf ( {} ) ]", many.join(" ")),
    }
}

fn entity_classes(model: &Model<'_>) -> Vec<String> {
    model.kinds.iter().map(|k| format!("coop:{}", k.class_name)).collect()
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

/// The alignment lines of a class or property: `rdfs:subClassOf` (with
/// `first_broader` first, such as the kind of a category), `skos:exactMatch`,
/// `skos:closeMatch`.
fn alignment_lines(sub: &str, first_broader: Option<String>, alignments: &[Alignment], closes: &[String]) -> String {
    let mut out = String::new();
    let broader: Vec<String> = first_broader
        .into_iter()
        .chain(alignments.iter().filter_map(|a| match a {
            Alignment::Broader(t) => Some((*t).to_owned()),
            _ => None,
        }))
        .collect();
    let exact: Vec<String> = alignments
        .iter()
        .filter_map(|a| match a {
            Alignment::Exact(t) => Some((*t).to_owned()),
            _ => None,
        })
        .collect();
    let close: Vec<String> = alignments
        .iter()
        .filter_map(|a| match a {
            Alignment::Close(t) => Some((*t).to_owned()),
            _ => None,
        })
        .chain(closes.iter().filter(|c| !exact.contains(c)).cloned())
        .collect();
    for (p, terms) in [(sub, broader), ("skos:exactMatch", exact), ("skos:closeMatch", close)] {
        if !terms.is_empty() {
            out.push_str(&format!("    {p} {} ;\n", terms.join(" , ")));
        }
    }
    out
}

const DEFINED_BY: &str = "    rdfs:isDefinedBy <https://w3id.org/coopgraph/ontology> .\n";

/// The classes of the vocabulary that are not kinds, disjoint with them.
const OTHER_CLASSES: [&str; 5] =
    [vocab::RELATION_STATEMENT, vocab::FIGURE_CLASS, vocab::MEASURE_CLASS, vocab::SOURCE_DOCUMENT, vocab::CITATION];

fn members_line(classes: &[String]) -> String {
    let mut out = String::from("[] a owl:AllDisjointClasses ;\n    owl:members (");
    let mut width = out.len() - out.rfind('\n').map_or(0, |i| i + 1);
    for (i, c) in classes.iter().enumerate() {
        if i > 0 && width + c.len() + 1 > 96 {
            out.push_str("\n                 ");
            width = 17;
        }
        out.push(' ');
        out.push_str(c);
        width += c.len() + 1;
    }
    out.push_str(" ) .\n");
    out
}

// ---------------------------------------------------------------------------
// ontology/coopgraph.ttl
// ---------------------------------------------------------------------------

fn ontology_kinds(model: &Model<'_>) -> String {
    let mut out = String::new();
    for k in model.kinds {
        out.push_str(&format!(
            "\ncoop:{}\n    a owl:Class ;\n    rdfs:label {}@en , {}@zh ;\n    rdfs:comment {}@en ;\n    rdfs:comment {}@zh ;\n",
            k.class_name,
            lit(k.label_en),
            lit(k.label_zh),
            lit(k.comment_en),
            lit(k.comment_zh)
        ));
        out.push_str(&alignment_lines("rdfs:subClassOf", None, k.alignments, &[]));
        out.push_str(DEFINED_BY);
    }
    let mut disjoint = entity_classes(model);
    disjoint.extend(OTHER_CLASSES.iter().map(|c| format!("coop:{c}")));
    out.push('\n');
    out.push_str(&members_line(&disjoint));
    for k in model.kinds {
        out.push_str(&format!("\n# Categories of {} ({}).\n", k.name, k.categories.len()));
        for c in k.categories {
            out.push_str(&format!(
                "\ncoop:{}\n    a owl:Class ;\n    rdfs:label {}@en , {}@zh ;\n    rdfs:comment {}@en ;\n    rdfs:comment {}@zh ;\n",
                c.class_name,
                lit(c.label_en),
                lit(c.label_zh),
                lit(c.comment_en),
                lit(c.comment_zh)
            ));
            out.push_str(&alignment_lines(
                "rdfs:subClassOf",
                Some(format!("coop:{}", k.class_name)),
                c.alignments,
                &[],
            ));
            out.push_str(DEFINED_BY);
        }
        if k.categories.len() > 1 {
            let classes: Vec<String> = k.categories.iter().map(|c| format!("coop:{}", c.class_name)).collect();
            out.push('\n');
            out.push_str(&members_line(&classes));
        }
    }
    out.push('\n');
    out
}

fn ontology_relations(model: &Model<'_>) -> String {
    let mut out = String::new();
    for r in model.relations {
        let subjects: Vec<String> = r.subject_kinds().into_iter().map(|k| class(model, k)).collect();
        let objects: Vec<String> = r.object_kinds().into_iter().map(|k| class(model, k)).collect();
        out.push_str(&format!(
            "\ncoop:{}\n    a owl:ObjectProperty{} ;\n    rdfs:label {}@en , {}@zh ;\n    rdfs:comment {}@en ;\n    rdfs:comment {}@zh ;\n    rdfs:domain {} ;\n    rdfs:range {} ;\n",
            r.property,
            if r.symmetric { " , owl:SymmetricProperty" } else { "" },
            lit(r.label_en),
            lit(r.label_zh),
            lit(r.description),
            lit(r.description_zh),
            class_or_union(&subjects),
            class_or_union(&objects),
        ));
        let wikidata: Vec<String> = r.wikidata_property.iter().map(|p| format!("wdt:{p}")).collect();
        out.push_str(&alignment_lines("rdfs:subPropertyOf", None, r.alignments, &wikidata));
        out.push_str(DEFINED_BY);
    }
    out.push('\n');
    out
}

fn ontology_entity_unions(model: &Model<'_>) -> String {
    let entity = class_or_union(&entity_classes(model));
    format!(
        "\ncoop:{} rdfs:domain {entity} .\ncoop:{} rdfs:domain {entity} .\ncoop:{} rdfs:range {entity} .\ncoop:{} rdfs:range {entity} .\n\n",
        vocab::MENTIONED_IN,
        vocab::FIGURE,
        vocab::ABOUT,
        vocab::COUNTERPART
    )
}

// ---------------------------------------------------------------------------
// ontology/shapes.ttl
// ---------------------------------------------------------------------------

fn property_shape(lines: &[String], message: &str) -> String {
    let mut out = String::from("[\n");
    for l in lines {
        out.push_str(&format!("        {l} ;\n"));
    }
    out.push_str(&format!("        sh:message {}@en\n    ]", lit(message)));
    out
}

fn shapes_entities(model: &Model<'_>) -> String {
    let mut out = String::new();
    for k in model.kinds {
        let noun = k.name;
        let a = capitalized(article(noun));
        let categories: Vec<String> = k.categories.iter().map(|c| format!("coop:{}", c.class_name)).collect();
        let mut props = vec![
            property_shape(
                &[
                    "sh:path rdfs:label".into(),
                    "sh:minCount 1".into(),
                    "sh:datatype rdf:langString".into(),
                    "sh:uniqueLang true".into(),
                ],
                &format!(
                    "{a} {noun} needs at least one rdfs:label, at most one per language, each a language-tagged string."
                ),
            ),
            property_shape(
                &["sh:path skos:altLabel".into(), "sh:datatype rdf:langString".into()],
                &format!("Aliases (skos:altLabel) of {} {noun} must be language-tagged strings.", article(noun)),
            ),
            property_shape(
                &["sh:path dcterms:description".into(), "sh:maxCount 1".into(), "sh:datatype rdf:langString".into()],
                &format!("{a} {noun} has at most one dcterms:description, a language-tagged string."),
            ),
            property_shape(
                &["sh:path coop:mentionedIn".into(), "sh:class coop:Citation".into()],
                "coop:mentionedIn must point to a coop:Citation.",
            ),
        ];
        if k.categories.iter().any(|c| c.binding.is_some()) {
            props.push(property_shape(
                &["sh:path coop:binding".into(), "sh:maxCount 1".into(), "sh:datatype xsd:boolean".into()],
                &format!("{a} {noun} has at most one coop:binding, an xsd:boolean."),
            ));
        }
        // Relation types whose objects depend on the subject's kind
        // (part_of pairs operation with operation ...).
        for r in model.relations {
            if !r.subject_kinds().contains(&k.kind) {
                continue;
            }
            let objects = dedup(r.allowed.iter().filter(|(s, _)| *s == k.kind).map(|&(_, o)| o));
            if objects.len() == r.object_kinds().len() {
                continue;
            }
            let classes: Vec<String> = objects.iter().map(|&o| class(model, o)).collect();
            props.push(property_shape(
                &[format!("sh:path coop:{}", r.property), class_constraint(&classes)],
                &format!(
                    "{a} {noun} can only be coop:{} {}.",
                    r.property,
                    if objects == [k.kind] {
                        format!("another coop:{}", k.class_name)
                    } else {
                        classes_with_articles(&classes)
                    }
                ),
            ));
        }
        let named: Vec<&str> = categories.iter().map(String::as_str).collect();
        out.push_str(&format!(
            "\ncoopsh:{}Shape\n    a sh:NodeShape ;\n    sh:targetClass coop:{} ;\n    {} ;\n    sh:message {}@en ;\n    sh:property {} .\n",
            k.class_name,
            k.class_name,
            class_constraint(&categories),
            lit(&format!(
                "A coop:{} must also have its category class: {}.",
                k.class_name,
                or_list(&named.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
            )),
            props.join(" , ")
        ));
    }
    out.push_str("\n# Every category class implies its kind class, which the mapping also writes.\n");
    for k in model.kinds {
        let categories: Vec<String> = k.categories.iter().map(|c| format!("coop:{}", c.class_name)).collect();
        out.push_str(&format!(
            "\ncoopsh:{}CategoryShape\n    a sh:NodeShape ;\n    sh:targetClass {} ;\n    sh:class coop:{} ;\n    sh:message {}@en .\n",
            k.class_name,
            categories.join(" , "),
            k.class_name,
            lit(&format!("An entity of {} {} category must also be a coop:{}.", article(k.name), k.name, k.class_name))
        ));
    }
    let entities = entity_classes(model);
    let names: Vec<String> = model.kinds.iter().map(|k| k.name.to_owned()).collect();
    out.push_str(&format!(
        "\n# The Wikidata link: one item IRI, in the entity namespace, Q and a number\n# without leading zero.\ncoopsh:SameAsShape\n    a sh:NodeShape ;\n    sh:targetSubjectsOf owl:sameAs ;\n    {} ;\n    sh:message {}@en ;\n    sh:property {} .\n",
        class_constraint(&entities),
        lit(&format!("Only entities ({}) carry owl:sameAs.", names.join(", "))),
        property_shape(
            &[
                "sh:path owl:sameAs".into(),
                "sh:maxCount 1".into(),
                "sh:nodeKind sh:IRI".into(),
                "sh:pattern \"^http://www\\\\.wikidata\\\\.org/entity/Q[1-9][0-9]*$\"".into()
            ],
            "owl:sameAs must be one Wikidata item IRI, http://www.wikidata.org/entity/Q followed by a number without leading zero."
        )
    ));
    let binding: Vec<String> = model
        .kinds
        .iter()
        .filter(|k| k.categories.iter().any(|c| c.binding.is_some()))
        .map(|k| format!("coop:{}", k.class_name))
        .collect();
    if !binding.is_empty() {
        out.push_str(&format!(
            "\ncoopsh:BindingShape\n    a sh:NodeShape ;\n    sh:targetSubjectsOf coop:binding ;\n    {} ;\n    sh:message {}@en .\n",
            class_constraint(&binding),
            lit(&format!("Only {} carries coop:binding.", classes_with_articles(&binding)))
        ));
    }
    out.push('\n');
    out
}

fn shapes_relations(model: &Model<'_>) -> String {
    let mut out = String::new();
    for r in model.relations {
        let subjects: Vec<String> = r.subject_kinds().into_iter().map(|k| class(model, k)).collect();
        let objects: Vec<String> = r.object_kinds().into_iter().map(|k| class(model, k)).collect();
        out.push_str(&format!(
            "\ncoopsh:{}Shape\n    a sh:NodeShape ;\n    sh:targetSubjectsOf coop:{} ;\n    {} ;\n    sh:message {}@en ;\n    sh:property {} .\n",
            capitalized(r.property),
            r.property,
            class_constraint(&subjects),
            lit(&format!("The subject of coop:{} must be {}.", r.property, classes_with_articles(&subjects))),
            property_shape(
                &[format!("sh:path coop:{}", r.property), class_constraint(&objects)],
                &format!("The object of coop:{} must be {}.", r.property, classes_with_articles(&objects))
            )
        ));
    }
    let entity = class_constraint(&entity_classes(model));
    let predicates: Vec<String> = model.relations.iter().map(|r| format!("coop:{}", r.property)).collect();
    let mut roles: Vec<&str> = Vec::new();
    let mut role_lines: Vec<String> = Vec::new();
    for r in model.relations {
        let new: Vec<String> = r.roles.iter().filter(|x| !roles.contains(x)).map(|x| lit(x)).collect();
        roles.extend(r.roles.iter().filter(|x| !roles.contains(x)).copied().collect::<Vec<_>>());
        if !new.is_empty() {
            role_lines.push(new.join(" "));
        }
    }
    let props = [
        property_shape(
            &["sh:path rdf:subject".into(), "sh:minCount 1".into(), "sh:maxCount 1".into(), entity.clone()],
            "A relation statement has exactly one rdf:subject, an entity.",
        ),
        property_shape(
            &[
                "sh:path rdf:predicate".into(),
                "sh:minCount 1".into(),
                "sh:maxCount 1".into(),
                format!("sh:in ( {} )", predicates.join(" ")),
            ],
            "A relation statement has exactly one rdf:predicate, one of the relation properties.",
        ),
        property_shape(
            &["sh:path rdf:object".into(), "sh:minCount 1".into(), "sh:maxCount 1".into(), entity],
            "A relation statement has exactly one rdf:object, an entity.",
        ),
        property_shape(
            &["sh:path prov:wasDerivedFrom".into(), "sh:minCount 1".into(), "sh:class coop:Citation".into()],
            "A relation statement is derived from at least one coop:Citation (prov:wasDerivedFrom).",
        ),
        property_shape(
            &[
                "sh:path coop:role".into(),
                "sh:maxCount 1".into(),
                "sh:datatype xsd:string".into(),
                "# The union of the roles of all relation types (schema.rs); the\n        # loader also checks that the role fits the statement's type.\n        sh:in (\n            "
                    .to_owned()
                    + &role_lines.join("\n            ")
                    + "\n        )",
            ],
            "A relation statement has at most one coop:role, an xsd:string naming one of the declared roles.",
        ),
        property_shape(
            &["sh:path coop:note".into(), "sh:maxCount 1".into(), "sh:datatype rdf:langString".into()],
            "A relation statement has at most one coop:note, a language-tagged string.",
        ),
        property_shape(
            &["sh:path coop:implied".into(), "sh:maxCount 1".into(), "sh:datatype xsd:boolean".into()],
            "A relation statement has at most one coop:implied, an xsd:boolean.",
        ),
    ];
    out.push_str(&format!(
        "\n# Relation statements.\ncoopsh:RelationStatementShape\n    a sh:NodeShape ;\n    sh:targetClass coop:RelationStatement ;\n    sh:message {}@en ;\n    sh:property {} .\n\n",
        lit("A coop:RelationStatement is not as the mapping writes it."),
        props.join(" , ")
    ));
    out
}

fn shapes_figure_entities(model: &Model<'_>) -> String {
    let entity = class_constraint(&entity_classes(model));
    let comparators: Vec<String> = COMPARATORS.iter().filter(|c| !c.is_exact()).map(|c| lit(c.symbol)).collect();
    format!(
        "\n# The entity a figure is about, its counterpart and its comparator (the\n# rest of the figure's shape is below).\ncoopsh:FigureShape\n    sh:property {} , {} , {} .\n\ncoopsh:FigureLinkShape\n    a sh:NodeShape ;\n    sh:targetSubjectsOf coop:figure ;\n    {entity} ;\n    sh:message {}@en ;\n    sh:property {} .\n\n",
        property_shape(
            &["sh:path coop:about".into(), "sh:minCount 1".into(), "sh:maxCount 1".into(), entity.clone()],
            "A figure is coop:about exactly one entity."
        ),
        property_shape(
            &["sh:path coop:counterpart".into(), "sh:maxCount 1".into(), entity.clone()],
            "A figure has at most one coop:counterpart, an entity."
        ),
        property_shape(
            &[
                "sh:path coop:comparator".into(),
                "sh:maxCount 1".into(),
                "sh:datatype xsd:string".into(),
                format!("sh:in ( {} )", comparators.join(" "))
            ],
            "A figure has at most one coop:comparator, one of the declared signs (absent means =)."
        ),
        lit("Only an entity has a coop:figure."),
        property_shape(
            &["sh:path coop:figure".into(), "sh:class coop:Figure".into()],
            "coop:figure must point to a coop:Figure."
        )
    )
}

// ---------------------------------------------------------------------------
// ontology/context.jsonld
// ---------------------------------------------------------------------------

const CONTEXT_PREFIXES: [(&str, &str); 10] = [
    ("coop", "https://w3id.org/coopgraph/ontology#"),
    ("rdf", vocab::RDF),
    ("rdfs", vocab::RDFS),
    ("xsd", vocab::XSD),
    ("owl", vocab::OWL),
    ("skos", vocab::SKOS),
    ("dcterms", vocab::DCTERMS),
    ("prov", vocab::PROV),
    ("schema", vocab::SCHEMA),
    ("wd", vocab::WD),
];

/// Terms of the context that the schema table does not declare, each as
/// its JSON value, in groups.
const CONTEXT_OTHER_CLASSES: [(&str, &str); 7] = [
    ("RelationStatement", "\"coop:RelationStatement\""),
    ("Figure", "\"coop:Figure\""),
    ("Measure", "\"coop:Measure\""),
    ("SourceDocument", "\"coop:SourceDocument\""),
    ("Citation", "\"coop:Citation\""),
    ("Entity", "\"prov:Entity\""),
    ("BibliographicResource", "\"dcterms:BibliographicResource\""),
];

const CONTEXT_LABELS: [(&str, &str); 4] = [
    ("label", "{ \"@id\": \"rdfs:label\", \"@container\": \"@language\" }"),
    ("altLabel", "{ \"@id\": \"skos:altLabel\", \"@container\": \"@language\" }"),
    ("description", "{ \"@id\": \"dcterms:description\", \"@container\": \"@language\" }"),
    ("sameAs", "{ \"@id\": \"owl:sameAs\", \"@type\": \"@id\" }"),
];

const CONTEXT_LINKS: [(&str, &str); 10] = [
    ("mentionedIn", "{ \"@id\": \"coop:mentionedIn\", \"@type\": \"@id\" }"),
    ("figure", "{ \"@id\": \"coop:figure\", \"@type\": \"@id\" }"),
    ("about", "{ \"@id\": \"coop:about\", \"@type\": \"@id\" }"),
    ("measure", "{ \"@id\": \"coop:measure\", \"@type\": \"@id\" }"),
    ("counterpart", "{ \"@id\": \"coop:counterpart\", \"@type\": \"@id\" }"),
    ("source", "{ \"@id\": \"coop:source\", \"@type\": \"@id\" }"),
    ("subject", "{ \"@id\": \"rdf:subject\", \"@type\": \"@id\" }"),
    ("predicate", "{ \"@id\": \"rdf:predicate\", \"@type\": \"@id\" }"),
    ("object", "{ \"@id\": \"rdf:object\", \"@type\": \"@id\" }"),
    ("wasDerivedFrom", "{ \"@id\": \"prov:wasDerivedFrom\", \"@type\": \"@id\" }"),
];

const CONTEXT_VALUES: [(&str, &str); 24] = [
    ("role", "\"coop:role\""),
    ("date", "\"coop:date\""),
    ("start", "\"coop:start\""),
    ("end", "\"coop:end\""),
    ("asOf", "\"coop:asOf\""),
    ("earliestDate", "{ \"@id\": \"coop:earliestDate\", \"@type\": \"xsd:date\" }"),
    ("latestDate", "{ \"@id\": \"coop:latestDate\", \"@type\": \"xsd:date\" }"),
    ("dateInferred", "\"coop:dateInferred\""),
    ("dateNote", "{ \"@id\": \"coop:dateNote\", \"@container\": \"@language\" }"),
    ("note", "{ \"@id\": \"coop:note\", \"@container\": \"@language\" }"),
    ("implied", "\"coop:implied\""),
    ("binding", "\"coop:binding\""),
    ("ordinal", "\"coop:ordinal\""),
    ("value", "\"coop:value\""),
    ("comparator", "\"coop:comparator\""),
    ("unit", "\"coop:unit\""),
    ("paragraph", "\"coop:paragraph\""),
    ("fileName", "\"coop:fileName\""),
    ("paragraphCount", "\"coop:paragraphCount\""),
    ("defect", "{ \"@id\": \"coop:defect\", \"@container\": \"@language\" }"),
    ("title", "{ \"@id\": \"dcterms:title\", \"@container\": \"@language\" }"),
    ("publisher", "\"dcterms:publisher\""),
    ("issued", "\"dcterms:issued\""),
    ("language", "\"dcterms:language\""),
];

fn context(model: &Model<'_>) -> String {
    let mut groups: Vec<Vec<(String, String)>> = Vec::new();
    groups.push(vec![("@version".into(), "1.1".into())]);
    groups.push(CONTEXT_PREFIXES.iter().map(|(p, iri)| ((*p).to_owned(), json(iri))).collect());
    groups.push(vec![("id".into(), json("@id")), ("type".into(), json("@type"))]);
    let mut classes = Vec::new();
    for k in model.kinds {
        classes.push((k.class_name.to_owned(), json(&format!("coop:{}", k.class_name))));
        for c in k.categories {
            classes.push((c.class_name.to_owned(), json(&format!("coop:{}", c.class_name))));
        }
    }
    classes.extend(CONTEXT_OTHER_CLASSES.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    groups.push(classes);
    groups.push(CONTEXT_LABELS.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect());
    groups.push(
        model
            .relations
            .iter()
            .map(|r| {
                (
                    r.property.to_owned(),
                    format!("{{ \"@id\": {}, \"@type\": \"@id\" }}", json(&format!("coop:{}", r.property))),
                )
            })
            .collect(),
    );
    groups.push(CONTEXT_LINKS.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect());
    groups.push(CONTEXT_VALUES.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect());
    let body: Vec<String> = groups
        .iter()
        .map(|g| g.iter().map(|(k, v)| format!("    {}: {v}", json(k))).collect::<Vec<_>>().join(",\n"))
        .collect();
    format!("{{\n  \"@context\": {{\n{}\n  }}\n}}\n", body.join(",\n\n"))
}

// ---------------------------------------------------------------------------
// data/README.md
// ---------------------------------------------------------------------------

fn readme_categories(model: &Model<'_>) -> String {
    let mut out = String::from("| kind | categories |\n|---|---|\n");
    for k in model.kinds {
        let default = k.categories.iter().find(|c| c.name == k.default_category);
        let ordered: Vec<_> =
            default.into_iter().chain(k.categories.iter().filter(|c| c.name != k.default_category)).collect();
        let mut cells: Vec<String> = Vec::new();
        let mut run: Vec<String> = Vec::new();
        let mut binding = ordered.first().and_then(|c| c.binding);
        for c in &ordered {
            if c.binding != binding {
                cells.push(format!("{}{}", run.join(", "), binding_note(binding)));
                run.clear();
                binding = c.binding;
            }
            run.push(format!("`{}`", c.name));
        }
        cells.push(format!("{}{}", run.join(", "), binding_note(binding)));
        out.push_str(&format!("| `{}` | {} |\n", k.name, cells.join("; ")));
    }
    let defaults: Vec<String> = model.kinds.iter().map(|k| format!("`{}`", k.default_category)).collect();
    out.push_str(&format!("\n(The defaults are {}.)\n", and_list(&defaults)));
    out
}

fn binding_note(binding: Option<bool>) -> &'static str {
    match binding {
        Some(true) => " (binding)",
        Some(false) => " (non-binding)",
        None => "",
    }
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn kinds_text(model: &Model<'_>, kinds: &[EntityKind]) -> String {
    or_list(&kinds.iter().map(|&k| kind_name(model, k).to_owned()).collect::<Vec<_>>())
}

fn readme_relations(model: &Model<'_>) -> String {
    let mut out = String::from("| predicate | subject → object | roles | Wikidata |\n|---|---|---|---|\n");
    for r in model.relations {
        let subjects = r.subject_kinds();
        let objects = r.object_kinds();
        let product = subjects.len() * objects.len() == r.allowed.len();
        let pairs = if product {
            format!("{} → {}", kinds_text(model, &subjects), kinds_text(model, &objects))
        } else {
            subjects
                .iter()
                .map(|&s| {
                    let objs = dedup(r.allowed.iter().filter(|(x, _)| *x == s).map(|&(_, o)| o));
                    format!("{} → {}", kind_name(model, s), kinds_text(model, &objs))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!(
            "| `{}` | {}{} | {} | {} |\n",
            r.name,
            pairs,
            if r.symmetric { " (symmetric)" } else { "" },
            r.roles.join(", "),
            r.wikidata_property
                .map(|p| format!("[{p}](https://www.wikidata.org/wiki/Property:{p})"))
                .unwrap_or_default()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use coopgraph_model::schema::{Alignment, EntityKind, RELATION_TYPES, RelationType};

    use super::*;

    static FAKE: RelationType = RelationType {
        name: "trains_with",
        property: "trainsWith",
        label_en: "trains with",
        label_zh: "联合培训",
        description: "The two parties train their forces together.",
        description_zh: "双方共同培训其力量。",
        allowed: &[(EntityKind::Country, EntityKind::Country), (EntityKind::Organization, EntityKind::Country)],
        roles: &["trainer", "member"],
        symmetric: false,
        wikidata_property: Some("P9999"),
        alignments: &[Alignment::Broader("schema:knows")],
        triggers: &[],
    };

    fn with_fake() -> Vec<RelationType> {
        RELATION_TYPES.iter().map(|r| RelationType { ..*r }).chain(std::iter::once(RelationType { ..FAKE })).collect()
    }

    fn block<'a>(files: &'a [GeneratedFile], path: &str, name: &str) -> &'a str {
        let file = files.iter().find(|f| f.path == path).unwrap();
        match &file.content {
            Content::Blocks(blocks) => blocks.iter().find(|(n, _)| *n == name).map(|(_, t)| t.as_str()).unwrap(),
            Content::Whole(t) => t,
        }
    }

    #[test]
    fn a_new_relation_type_brings_its_property_shape_context_entry_and_doc_row() {
        let relations = with_fake();
        let files = generated_files(&Model { kinds: &KINDS, relations: &relations });
        let ontology = block(&files, "ontology/coopgraph.ttl", "relations");
        assert!(ontology.contains(
            "coop:trainsWith\n    a owl:ObjectProperty ;\n    rdfs:label \"trains with\"@en , \"联合培训\"@zh ;"
        ));
        assert!(ontology.contains("rdfs:domain [ a owl:Class ; owl:unionOf ( coop:Country coop:Organization ) ] ;\n    rdfs:range coop:Country ;"));
        assert!(ontology.contains("rdfs:subPropertyOf schema:knows ;\n    skos:closeMatch wdt:P9999 ;"));
        let shapes = block(&files, "ontology/shapes.ttl", "relations");
        assert!(
            shapes.contains("coopsh:TrainsWithShape\n    a sh:NodeShape ;\n    sh:targetSubjectsOf coop:trainsWith ;")
        );
        assert!(shapes.contains("The object of coop:trainsWith must be a coop:Country."));
        assert!(
            shapes.contains(&format!("coop:{} coop:trainsWith )", RELATION_TYPES.last().unwrap().property)),
            "the predicate list is closed over the table"
        );
        assert!(shapes.contains("\"trainer\""), "its new role joins the role list");
        assert_eq!(shapes.matches("\"member\"").count(), 1, "a role two types share is listed once");
        let context = block(&files, "ontology/context.jsonld", "");
        assert!(context.contains("\"trainsWith\": { \"@id\": \"coop:trainsWith\", \"@type\": \"@id\" }"));
        let doc = block(&files, "data/README.md", "relations");
        assert!(doc.contains(
            "| `trains_with` | country or organization → country | trainer, member | [P9999](https://www.wikidata.org/wiki/Property:P9999) |"
        ));
        let plain = generated_files(&Model::schema());
        assert!(!block(&plain, "ontology/shapes.ttl", "relations").contains("trainsWith"));
    }

    #[test]
    fn blocks_go_between_their_markers_and_nothing_else_changes() {
        let text = "head\n# BEGIN generated: a (edit schema.rs)\nold\n# END generated: a\n# BEGIN generated: ab\nkeep\n# END generated: ab\ntail\n";
        let out = splice(text, "a", "new 1\nnew 2\n").unwrap();
        assert_eq!(
            out,
            "head\n# BEGIN generated: a (edit schema.rs)\nnew 1\nnew 2\n# END generated: a\n# BEGIN generated: ab\nkeep\n# END generated: ab\ntail\n"
        );
        assert_eq!(splice(text, "c", "x"), None);
        assert_eq!(splice("# END generated: a\n# BEGIN generated: a\n", "a", "x"), None);
        let file = GeneratedFile { path: "f", content: Content::Blocks(vec![("c", String::new())]) };
        assert!(matches!(file.apply(text), Err(SchemaFileError::Markers { .. })));
    }

    #[test]
    fn the_context_is_json() {
        let files = generated_files(&Model::schema());
        let context: serde_json::Value = serde_json::from_str(block(&files, "ontology/context.jsonld", "")).unwrap();
        assert_eq!(context["@context"]["memberOf"]["@id"], "coop:memberOf");
        assert_eq!(context["@context"]["Country"], "coop:Country");
    }
}
