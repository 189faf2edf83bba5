//! A diff's findings for people (markdown) and scripts (JSON), with the
//! semver bump they call for.

use super::{Axis, Finding, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    /// Worst first, then by axis, check and Rust path.
    pub findings: Vec<Finding>,
    pub old_version: String,
    pub new_version: String,
    pub bump: Bump,
    /// Set when the update breaks clients and `info.version` says nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

impl Report {
    pub fn new(mut findings: Vec<Finding>, old_version: &str, new_version: &str) -> Report {
        findings.sort_by(|a, b| {
            (a.severity, a.axis, a.id, &a.rust, &a.old, &a.new, &a.message)
                .cmp(&(b.severity, b.axis, b.id, &b.rust, &b.old, &b.new, &b.message))
        });
        // Once per finding, not once per operation it was found in.
        findings.dedup_by(|a, b| {
            (a.axis, a.id, a.severity, &a.old, &a.new, &a.rust, &a.message)
                == (b.axis, b.id, b.severity, &b.old, &b.new, &b.rust, &b.message)
        });
        let any = |axis: Option<Axis>, severity: Severity| {
            findings.iter().any(|f| f.severity == severity && axis.is_none_or(|a| f.axis == a))
        };
        // The crate's API is the Rust axis; a wire break is a change of
        // behaviour, which semver counts as breaking too.
        let bump = if any(None, Severity::Breaking) {
            Bump::Major
        } else if any(Some(Axis::Rust), Severity::MayBreak)
            || findings.iter().any(|f| f.axis == Axis::Rust && f.id.ends_with("-added"))
        {
            Bump::Minor
        } else {
            Bump::Patch
        };
        let warning = (bump == Bump::Major && old_version == new_version).then(|| {
            format!(
                "`info.version` is `{new_version}` in both specs, though this update breaks \
                 clients: the vendor did not say so"
            )
        });
        Report {
            findings,
            old_version: old_version.to_string(),
            new_version: new_version.to_string(),
            bump,
            warning,
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    /// `diff: B breaking, M may break, S safe; suggested bump: major`.
    pub fn summary(&self) -> String {
        format!(
            "diff: {} breaking, {} may break, {} safe; suggested bump: {}",
            self.count(Severity::Breaking),
            self.count(Severity::MayBreak),
            self.count(Severity::Safe),
            self.bump.as_str()
        )
    }

    /// For people: a section per axis, worst first. `title` names the API.
    pub fn markdown(&self, title: &str) -> String {
        let mut out = format!("## {title}: {} → {}\n\n", self.old_version, self.new_version);
        out.push_str(&format!(
            "Suggested bump of the generated crate: **{}** ({} breaking, {} may break, {} safe).\n",
            self.bump.as_str(),
            self.count(Severity::Breaking),
            self.count(Severity::MayBreak),
            self.count(Severity::Safe)
        ));
        if let Some(w) = &self.warning {
            out.push_str(&format!("\n> **Warning:** {w}.\n"));
        }
        for (axis, heading) in [
            (Axis::Rust, "Rust source: code written against the old crate"),
            (Axis::Wire, "Wire: clients that followed the old contract"),
        ] {
            let of: Vec<&Finding> = self.findings.iter().filter(|f| f.axis == axis).collect();
            out.push_str(&format!("\n### {heading}\n\n"));
            if of.is_empty() {
                out.push_str("Nothing changed.\n");
            }
            for f in of {
                let severity = match f.severity {
                    Severity::Breaking => "**breaking**",
                    Severity::MayBreak => "may break",
                    Severity::Safe => "safe",
                };
                out.push_str(&format!("- {severity} `{}`", f.id));
                if let Some(r) = &f.rust {
                    out.push_str(&format!(" `{r}`"));
                }
                out.push_str(&format!(": {}", f.message));
                let at: Vec<String> = [("old", &f.old), ("new", &f.new)]
                    .into_iter()
                    .filter_map(|(w, p)| p.as_ref().map(|p| format!("{w} `{p}`")))
                    .collect();
                if !at.is_empty() {
                    out.push_str(&format!(" ({})", at.join(", ")));
                }
                if let Some(w) = &f.witness {
                    out.push_str(&format!(" [witness: {w}]"));
                }
                out.push('\n');
            }
        }
        out
    }

    /// For scripts: every finding (axis, id, severity, old and new
    /// pointer, Rust path, message), the counts and the bump.
    pub fn json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        v["summary"] = serde_json::json!({
            "breaking": self.count(Severity::Breaking),
            "may_break": self.count(Severity::MayBreak),
            "safe": self.count(Severity::Safe),
        });
        v
    }
}
