//! Rendering DOT to SVG, PNG or PDF with the Graphviz `dot` program.

use graphviz_rust::cmd::{CommandArg, Format};

use crate::ViewError;

/// What to render DOT text to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// Scalable Vector Graphics.
    Svg,
    /// Portable Network Graphics.
    Png,
    /// Portable Document Format.
    Pdf,
}

impl ImageFormat {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
            ImageFormat::Pdf => "pdf",
        }
    }
}

/// How to install Graphviz and the CJK fonts on Debian or Ubuntu.
pub const INSTALL_HINT: &str = "sudo apt-get install graphviz fonts-noto-cjk";

/// Renders DOT text with Graphviz `dot`; [`ViewError::GraphvizMissing`] when
/// `dot` is not on the PATH.
pub fn render(dot: &str, format: ImageFormat) -> Result<Vec<u8>, ViewError> {
    let format = match format {
        ImageFormat::Svg => Format::Svg,
        ImageFormat::Png => Format::Png,
        ImageFormat::Pdf => Format::Pdf,
    };
    graphviz_rust::exec_dot(dot.to_owned(), vec![CommandArg::Format(format)]).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            ViewError::GraphvizMissing
        } else {
            ViewError::Graphviz(e.to_string().trim().to_owned())
        }
    })
}

/// True when Graphviz `dot` can be run.
pub fn graphviz_available() -> bool {
    std::process::Command::new("dot")
        .arg("-V")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
