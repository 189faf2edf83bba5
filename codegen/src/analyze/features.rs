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
        for (j, (op, og)) in api.operations.iter().zip(&op_groups).enumerate() {
            if og.contains(&g) {
                for ty in op_tys(op) {
                    visit(ty, &mut |id| stack.push(id));
                }
                // A struct of parameters another operation keeps names that
                // operation's types (aliases of this one's, by other names).
                if let Some(k) = api.sharing.params_of(j) {
                    let keeper = &api.operations[k];
                    let setters = keeper.params.iter().filter(|p| p.has_setter()).map(|p| &p.ty);
                    for ty in setters.chain(keeper.paging.as_ref().map(|p| &p.item)) {
                        visit(ty, &mut |id| stack.push(id));
                    }
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
    let mut setters: Vec<Vec<usize>> = (0..ops_n).map(|i| vec![i]).collect();
    for j in 0..ops_n {
        if let Some(i) = api.sharing.errors_of(j) {
            sharers[i].push(j);
        }
        if let Some(i) = api.sharing.params_of(j) {
            setters[i].push(j);
        }
        if let Some(d) = api.sharing.decoder_of(j) {
            users[d].push(j);
        }
    }
    let errors = sharers.iter().map(|s| union(s)).collect();
    let decoders = users.iter().map(|u| union(u)).collect();
    let params = setters.iter().map(|s| union(s)).collect();
    let ops = op_groups.into_iter().map(gate).collect();
    api.features = Features { groups, ops, errors, types, decoders, params };
}

#[cfg(test)]
mod tests {
    use crate::model::Gate;
    use crate::testing::{analyzed, spec};

    #[test]
    fn operations_by_their_tags_and_types_by_what_reaches_them() {
        let api = analyzed(&spec(
            "
/pets: {get: {operationId: listPets, tags: [pets], responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}, '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}}}}
/owners: {get: {operationId: listOwners, tags: [owners], responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Owner'}}}}, '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}}}}
/health: {get: {operationId: health, responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Tag'}}}}}}}
",
            "
schemas:
  Pet: {type: object, properties: {tag: {$ref: '#/components/schemas/Tag'}}}
  Owner: {type: object, properties: {pet: {$ref: '#/components/schemas/Pet'}}}
  Tag: {type: object, properties: {name: {type: string}}}
  Problem: {type: object, properties: {detail: {type: string}}}
  Unused: {type: object, properties: {owner: {$ref: '#/components/schemas/Owner'}}}
",
        ));
        let f = &api.features;
        assert_eq!(f.groups, ["owners", "pets", "untagged"]);
        let by_name = |name: &str| {
            let named = |t: &crate::model::TypeDef| matches!(&t.name, crate::model::NameHint::Component(n) if n == name);
            let i = api.types.iter().position(named).unwrap();
            f.ty(i).clone()
        };
        assert_eq!(f.op(0), &Gate::Any(vec![1]));
        assert_eq!(f.op(2), &Gate::Any(vec![2]));
        assert_eq!(by_name("Pet"), Gate::Any(vec![0, 1]), "reached from both tags");
        assert_eq!(by_name("Owner"), Gate::Any(vec![0]));
        assert_eq!(by_name("Tag"), Gate::Always, "every group reaches it");
        assert_eq!(by_name("Problem"), Gate::Any(vec![0, 1]));
        assert_eq!(by_name("Unused"), Gate::All, "no operation reaches it");
        // `listPets` answers the same errors as `listOwners`, whose enum
        // (kept by the id that sorts first) it names: compiled for both.
        assert_eq!(api.sharing.errors_of(0), Some(1));
        assert_eq!(f.error(1), &Gate::Any(vec![0, 1]));
    }
}
