//! The command-line interface: every subcommand, option and help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Examples:
  coopgraph build                      build everything from data/ into out/
  coopgraph validate                   check the data files, list every error
  coopgraph stats                      counts per kind and relation type, centrality
  coopgraph path china interpol        the shortest chain of relations between two entities
  coopgraph --data my-data validate    use another data folder

Exit codes: 0 success; 1 data errors (or no result, e.g. no path); 2 usage errors.
Data format: see data/README.md. Colours only on a terminal; NO_COLOR turns them off.";

/// Builds a knowledge graph of international law-enforcement, judicial and
/// security cooperation from curated, cited data files.
#[derive(Debug, Parser)]
#[command(name = "coopgraph", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    /// Folder of data files (*.toml, entities.csv, relations.csv).
    #[arg(long, global = true, default_value = "data", value_name = "DIR")]
    pub data: PathBuf,

    /// When to use colours.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print nothing but errors and requested output.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// Keep at most this many errors in a report (the rest are counted).
    #[arg(long, global = true, default_value_t = 100, value_name = "N")]
    pub max_errors: usize,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// When to use colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal only (and not when NO_COLOR is set).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build everything: check the data, assemble the graph, write the outputs.
    ///
    /// Outputs are written to a temporary folder next to the output folder and
    /// swapped in only when everything succeeded, so a failed build leaves the
    /// previous outputs untouched.
    #[command(after_help = "Example:\n  coopgraph build --out out")]
    Build(BuildArgs),

    /// Check the data files and report every error with file:line:col.
    #[command(after_help = "\
Examples:
  coopgraph validate
  coopgraph --data tests/fixtures/bad validate --max-errors 10

Each error reads FILE:LINE:COL: MESSAGE, for example
  data/relations.toml:12:11: unknown entity \"chna\" (did you mean \"china\"?)")]
    Validate,

    /// Print counts per kind and relation type, and the shape of the graph.
    #[command(after_help = "\
Examples:
  coopgraph stats
  coopgraph stats --top 10 --lang zh
  coopgraph stats --json | jq .relations")]
    Stats(StatsArgs),

    /// Print the shortest chain of relations between two entities.
    ///
    /// Relations are followed in either direction; each step shows the
    /// relation type, its direction and the sources that state it.
    #[command(after_help = "\
Examples:
  coopgraph path china interpol
  coopgraph path sky_net united_states --lang zh")]
    Path(PathArgs),
}

/// Options of `build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Folder the outputs are written to.
    #[arg(long, default_value = "out", value_name = "DIR")]
    pub out: PathBuf,
}

/// Label language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// Chinese.
    Zh,
}

impl Lang {
    /// The language tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// Options of `stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// How many entities to list in each top list.
    #[arg(long, default_value_t = 5, value_name = "K")]
    pub top: usize,

    /// Language of the labels shown (falls back to the other one).
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,

    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options of `path`.
#[derive(Debug, clap::Args)]
pub struct PathArgs {
    /// Id of the entity to start from.
    pub from: String,

    /// Id of the entity to reach.
    pub to: String,

    /// Language of the labels shown (falls back to the other one).
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
}
