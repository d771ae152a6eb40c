//! What the binary prints and how it ends: colours, progress, failures and
//! exit codes, and output folders swapped in atomically.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anstyle::{AnsiColor, Style};
use coopgraph_load::Diagnostics;
use coopgraph_rdf::staging::{self, StagingError, Target, TargetKind};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::ColorChoice;

/// Exit code of a run that found errors in the data, or no result.
pub const EXIT_DATA: u8 = 1;
/// Exit code of a run with a usage error.
pub const EXIT_USAGE: u8 = 2;

/// Style of the word "error".
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
/// Style of headings.
pub const HEADING: Style = Style::new().bold();
/// Style of success messages.
pub const GOOD: Style = AnsiColor::Green.on_default().bold();
/// Style of secondary text.
pub const DIM: Style = Style::new().dimmed();

/// Applies the `--color` choice to everything printed through anstream.
pub fn init_color(choice: ColorChoice) {
    let choice = match choice {
        ColorChoice::Auto => anstream::ColorChoice::Auto,
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
}

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// The data has errors: every one is listed.
    Data(Diagnostics),
    /// The command line asks for something that cannot be (an unknown id).
    Usage(String),
    /// No result (e.g. no path); the message says why.
    NoResult(String),
    /// Anything else (a file that cannot be written).
    Run(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Run(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Run(e.into())
    }
}

impl Failure {
    /// Prints the failure on stderr and gives the exit code.
    pub fn report(self) -> ExitCode {
        match self {
            Failure::Data(diagnostics) => {
                for d in diagnostics.iter() {
                    anstream::eprintln!("{}: {ERROR}error{ERROR:#}: {}", d.location, d.message);
                }
                if diagnostics.dropped() > 0 {
                    anstream::eprintln!(
                        "... and {} more errors not listed (raise --max-errors to see them)",
                        diagnostics.dropped()
                    );
                }
                let n = diagnostics.total();
                anstream::eprintln!("{ERROR}{n} error{}{ERROR:#} in the data", if n == 1 { "" } else { "s" });
                ExitCode::from(EXIT_DATA)
            }
            Failure::Usage(message) => {
                anstream::eprintln!("{ERROR}error{ERROR:#}: {message}");
                ExitCode::from(EXIT_USAGE)
            }
            Failure::NoResult(message) => {
                anstream::eprintln!("{message}");
                ExitCode::from(EXIT_DATA)
            }
            Failure::Run(e) => {
                // A closed pipe (`coopgraph export ... | head`) is not an error.
                let broken_pipe = e.chain().any(|c| {
                    c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
                });
                if broken_pipe {
                    return ExitCode::SUCCESS;
                }
                anstream::eprintln!("{ERROR}error{ERROR:#}: {e:#}");
                ExitCode::from(EXIT_DATA)
            }
        }
    }
}

/// A spinner on stderr for long work, drawn only on a terminal.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// Starts a spinner; hidden when stderr is not a terminal or `quiet`.
    pub fn start(quiet: bool) -> Self {
        let bar = if quiet || !std::io::stderr().is_terminal() {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
        } else {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        };
        Self { bar }
    }

    /// Says what is being done now.
    pub fn step(&self, message: &str) {
        self.bar.set_message(message.to_owned());
    }

    /// Runs `f` (which prints) with the spinner hidden.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Removes the spinner.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// A hidden path beside `target` for this process (`.NAME.WHAT-PID`), in
/// the same folder (created if missing), so that a rename into place
/// stays on one file system.
fn beside(target: &Path, what: &str) -> std::io::Result<PathBuf> {
    let path = staging::sibling(target, what, std::process::id());
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    Ok(path)
}

/// The failure of a target that cannot be taken: a path that is not ours
/// is a usage error, a busy or failing one a run error.
pub fn staging_failure(e: StagingError) -> Failure {
    match e {
        StagingError::Refused(m) => Failure::Usage(m),
        other => Failure::Run(other.into()),
    }
}

/// A folder written in a staging place next to its target and moved into
/// place only by [`StagedDir::commit`]; dropped without commit, it is removed
/// and the target stays as it was. The target is locked meanwhile, and one
/// that exists and is not a coopgraph output folder is refused (see
/// `coopgraph_rdf::staging`).
pub struct StagedDir {
    target: Target,
    staging: PathBuf,
    committed: bool,
}

impl StagedDir {
    /// Takes `target` and creates an empty staging folder beside it.
    pub fn new(target: &Path) -> Result<Self, StagingError> {
        let target = Target::acquire(target, TargetKind::Output)?;
        let staging = target.staging()?;
        std::fs::create_dir_all(&staging)
            .map_err(|e| StagingError::Io(format!("cannot create {}: {e}", staging.display())))?;
        Ok(Self { target, staging, committed: false })
    }

    /// Where to write.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Moves the staged folder into place, replacing the previous one.
    pub fn commit(mut self) -> Result<(), StagingError> {
        let swapped = self.target.swap_in(&self.staging)?;
        self.committed = true;
        swapped.finish()
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// A file written under a temporary name beside its target and renamed
/// over it by [`StagedFile::commit`]: readers never see a half-written file,
/// and a failed run (dropped without commit) leaves the target as it was.
///
/// A target that exists and is not a regular file (`/dev/null`,
/// `/dev/stdout`, a named pipe) is written in place: renaming over it would
/// replace the device or pipe itself. A symbolic link is followed, so the
/// file it points to is replaced and the link stays.
pub struct StagedFile {
    target: PathBuf,
    /// The temporary file, unless written in place.
    staging: Option<PathBuf>,
    out: std::io::BufWriter<std::fs::File>,
}

impl StagedFile {
    /// Creates the temporary file (and the target's folder).
    pub fn create(target: &Path) -> std::io::Result<Self> {
        let capacity = 1 << 20;
        match std::fs::metadata(target) {
            Ok(m) if !m.is_file() && !m.is_dir() => {
                let file = std::fs::OpenOptions::new().write(true).open(target)?;
                return Ok(Self {
                    target: target.to_path_buf(),
                    staging: None,
                    out: std::io::BufWriter::with_capacity(capacity, file),
                });
            }
            _ => {}
        }
        let target = match std::fs::symlink_metadata(target) {
            Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(target)?,
            _ => target.to_path_buf(),
        };
        // Temporary files of killed runs go first.
        let _ = staging::clear_stale(&target);
        let staging = beside(&target, "tmp")?;
        let file = std::fs::File::create(&staging)?;
        Ok(Self { target, staging: Some(staging), out: std::io::BufWriter::with_capacity(capacity, file) })
    }

    /// Where to write.
    pub fn writer(&mut self) -> &mut std::io::BufWriter<std::fs::File> {
        &mut self.out
    }

    /// Writes a large buffer straight to the file, without copying it
    /// through the writer's buffer.
    pub fn write_large(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        use std::io::Write as _;
        self.out.flush()?;
        self.out.get_mut().write_all(bytes)
    }

    /// Flushes the file and moves it into place.
    pub fn commit(mut self) -> std::io::Result<()> {
        use std::io::Write as _;
        self.out.flush()?;
        match self.staging.take() {
            Some(staging) => {
                let moved = std::fs::rename(&staging, &self.target);
                if moved.is_err() {
                    let _ = std::fs::remove_file(&staging);
                }
                moved
            }
            None => Ok(()),
        }
    }
}

impl Drop for StagedFile {
    fn drop(&mut self) {
        if let Some(staging) = &self.staging {
            let _ = std::fs::remove_file(staging);
        }
    }
}

/// Writes `bytes` to `path` through a [`StagedFile`].
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = StagedFile::create(path)?;
    file.writer().write_all(bytes)?;
    file.commit()
}
