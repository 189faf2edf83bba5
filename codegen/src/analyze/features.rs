//! Which Cargo feature compiles what: one feature per tag, so that a user
//! of two endpoints of a huge API compiles those and the types they reach,
//! not the whole crate. An operation is gated by its tags; a type by the
//! tags of every operation that reaches it, through parameters, bodies,
//! answers, headers, pages and from there fields, variants and aliases.
//! A type that no operation reaches comes with the feature `all` (in
//! `default`); a type every tag reaches is always compiled.

use super::select::{op_tys, visit};
use crate::model::*;

/// The group of operations that have no tag.
pub const UNTAGGED: &str = "untagged";

pub fn features(api: &mut Api) {
    let mut groups: Vec<String> = api.operations.iter().flat_map(|op| op.tags.clone()).collect();
    groups.sort();
    groups.dedup();
    groups.retain(|g| g != UNTAGGED);
    if api.operations.iter().any(|op| op.tags.is_empty()) || groups.is_empty() {
        groups.push(UNTAGGED.to_string());
    }
    // `untagged` is last, out of order: found by name, not by bisection.
    let index: std::collections::HashMap<&str, usize> =
        groups.iter().enumerate().map(|(i, g)| (g.as_str(), i)).collect();
    let group_of = |tag: &str| index.get(tag).copied().unwrap_or(groups.len() - 1);
    let op_groups: Vec<Vec<u32>> = api
        .operations
        .iter()
        .map(|op| {
            let mut g: Vec<u32> = if op.tags.is_empty() {
                vec![(groups.len() - 1) as u32]
            } else {
                op.tags.iter().map(|t| group_of(t) as u32).collect()
            };
            g.sort_unstable();
            g.dedup();
            g
        })
        .collect();

    // Per group, every type its operations reach.
    let n = api.types.len();
    let mut reached: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut seen = vec![u32::MAX; n];
    for g in 0..groups.len() as u32 {
        let mut stack: Vec<TypeId> = Vec::new();
        for (op, og) in api.operations.iter().zip(&op_groups) {
            if og.contains(&g) {
                for ty in op_tys(op) {
                    visit(ty, &mut |id| stack.push(id));
                }
            }
        }
        while let Some(id) = stack.pop() {
            if seen[id.0] == g {
                continue;
            }
            seen[id.0] = g;
            reached[id.0].push(g);
            for ty in api.types[id.0].kind.members() {
                visit(ty, &mut |m| stack.push(m));
            }
        }
    }
    // A type every group reaches is always compiled; one no operation
    // reaches comes with `all` (a type an operation reaches is compiled with
    // its operations' features, so what is made of it is too).
    let gate = |g: Vec<u32>| {
        if g.is_empty() || g.len() == groups.len() {
            Gate::Always
        } else {
            Gate::Any(g)
        }
    };
    let types =
        reached.into_iter().map(|r| if r.is_empty() { Gate::All } else { gate(r) }).collect();

    let union = |members: &[usize]| -> Gate {
        let mut all: Vec<u32> =
            members.iter().flat_map(|&i| op_groups[i].iter().copied()).collect();
        all.sort_unstable();
        all.dedup();
        gate(all)
    };
    let ops_n = api.operations.len();
    let mut sharers: Vec<Vec<usize>> = (0..ops_n).map(|i| vec![i]).collect();
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); api.sharing.decoders.len()];
    for j in 0..ops_n {
        if let Some(i) = api.sharing.errors_of(j) {
            sharers[i].push(j);
        }
        if let Some(d) = api.sharing.decoder_of(j) {
            users[d].push(j);
        }
    }
    let errors = sharers.iter().map(|s| union(s)).collect();
    let decoders = users.iter().map(|u| union(u)).collect();
    let ops = op_groups.into_iter().map(gate).collect();
    api.features = Features { groups, ops, errors, types, decoders };
}
