//! The wire axis: what a client that followed the old contract may now get
//! wrong, from the two models. Check ids are oasdiff's where one fits
//! (`request-parameter-became-required`, `response-success-status-removed`).

use std::collections::HashSet;

use super::surface::op_keys;
use super::{Axis, Finding, Severity, Version};
use crate::emit::status_text as status;
use crate::model::*;
use crate::pointer::Pointer;

/// Every check this axis makes, with its twin (the opposite change, or the
/// same change on the other side of the wire), or why it has none. The
/// symmetry audit (`tests::every_check_has_its_twin`) holds this list to it.
pub const CHECKS: &[(&str, &str)] = &[
    ("endpoint-added", "api-removed-without-deprecation"),
    ("api-removed-without-deprecation", "endpoint-added"),
    ("api-path-removed-without-deprecation", "endpoint-added"),
    ("api-removed-after-deprecation", "endpoint-deprecated"),
    ("endpoint-deprecated", "endpoint-reactivated"),
    ("endpoint-reactivated", "endpoint-deprecated"),
    ("new-required-request-parameter", "request-parameter-removed"),
    ("new-optional-request-parameter", "request-parameter-removed"),
    ("request-parameter-removed", "new-optional-request-parameter"),
    ("request-parameter-became-required", "request-parameter-became-optional"),
    ("request-parameter-became-optional", "request-parameter-became-required"),
    ("request-parameter-type-changed", "request-property-type-changed"),
    ("request-parameter-enum-value-removed", "request-parameter-enum-value-added"),
    ("request-parameter-enum-value-added", "request-parameter-enum-value-removed"),
    ("added-required-request-body", "request-body-removed"),
    ("added-optional-request-body", "request-body-removed"),
    ("request-body-removed", "added-optional-request-body"),
    ("request-body-became-required", "request-body-became-optional"),
    ("request-body-became-optional", "request-body-became-required"),
    ("request-body-media-type-changed", "response-media-type-removed"),
    ("request-body-type-changed", "response-body-type-changed"),
    ("response-body-type-changed", "request-body-type-changed"),
    ("new-required-request-property", "response-required-property-removed"),
    ("new-optional-request-property", "response-optional-property-removed"),
    ("request-property-removed", "response-optional-property-added"),
    ("request-property-became-required", "response-property-became-optional"),
    ("request-property-became-optional", "response-property-became-required"),
    ("request-property-type-changed", "response-property-type-changed"),
    ("request-property-became-not-nullable", "response-property-became-nullable"),
    ("request-property-became-nullable", "response-property-became-not-nullable"),
    ("request-property-enum-value-removed", "response-property-enum-value-added"),
    ("request-property-enum-value-added", "response-property-enum-value-removed"),
    ("request-property-one-of-removed", "response-property-one-of-added"),
    ("request-property-one-of-added", "response-property-one-of-removed"),
    ("response-required-property-removed", "new-required-request-property"),
    ("response-optional-property-removed", "new-optional-request-property"),
    ("response-required-property-added", "request-property-removed"),
    ("response-optional-property-added", "request-property-removed"),
    ("response-property-became-optional", "request-property-became-required"),
    ("response-property-became-required", "request-property-became-optional"),
    ("response-property-type-changed", "request-property-type-changed"),
    ("response-property-became-nullable", "request-property-became-not-nullable"),
    ("response-property-became-not-nullable", "request-property-became-nullable"),
    ("response-property-enum-value-added", "request-property-enum-value-removed"),
    ("response-property-enum-value-removed", "request-property-enum-value-added"),
    ("response-property-one-of-added", "request-property-one-of-removed"),
    ("response-property-one-of-removed", "request-property-one-of-added"),
    ("response-success-status-removed", "response-success-status-added"),
    ("response-success-status-added", "response-success-status-removed"),
    ("response-non-success-status-removed", "response-non-success-status-added"),
    ("response-non-success-status-added", "response-non-success-status-removed"),
    ("response-media-type-removed", "response-media-type-added"),
    ("response-media-type-added", "response-media-type-removed"),
    ("response-header-removed", "response-header-added"),
    ("response-header-added", "response-header-removed"),
];

/// Nested schemas are compared this deep at most; a recursive schema stops
/// at the first pair of types met again.
const MAX_DEPTH: usize = 32;

pub fn compare(old: &Version, new: &Version) -> Vec<Finding> {
    let mut out = Vec::new();
    let new_ops = op_keys(&new.api);
    let old_ops = op_keys(&old.api);
    let new_paths: HashSet<String> = new_ops
        .iter()
        .map(|k| k.split_once(' ').map_or(k.clone(), |(_, p)| p.to_string()))
        .collect();
    for (i, a) in old.api.operations.iter().enumerate() {
        let key = old_ops[i].clone();
        let Some(j) = new_ops.iter().position(|k| *k == key) else {
            let path = key.split_once(' ').map_or(key.as_str(), |(_, p)| p);
            let (id, severity) = if a.deprecated {
                ("api-removed-after-deprecation", Severity::MayBreak)
            } else if new_paths.contains(path) {
                ("api-removed-without-deprecation", Severity::Breaking)
            } else {
                ("api-path-removed-without-deprecation", Severity::Breaking)
            };
            out.push(Finding {
                axis: Axis::Wire,
                id,
                severity,
                old: Some(a.pointer.to_string()),
                new: None,
                rust: Some(old.method(i)),
                message: format!("`{} {}` removed", a.method.as_str().to_ascii_uppercase(), a.path),
                witness: None,
                operation: Some(key.clone()),
            });
            continue;
        };
        let b = &new.api.operations[j];
        let mut cx = Cx {
            old,
            new,
            out: &mut out,
            rust: new.method(j),
            operation: key.clone(),
            seen: HashSet::new(),
        };
        cx.operation(a, b);
    }
    for (j, b) in new.api.operations.iter().enumerate() {
        let key = new_ops[j].clone();
        if !old_ops.contains(&key) {
            out.push(Finding {
                axis: Axis::Wire,
                id: "endpoint-added",
                severity: Severity::Safe,
                old: None,
                new: Some(b.pointer.to_string()),
                rust: Some(new.method(j)),
                message: format!("`{} {}` added", b.method.as_str().to_ascii_uppercase(), b.path),
                witness: None,
                operation: Some(key.clone()),
            });
        }
    }
    out
}

/// Which side of the wire a schema is on.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Request,
    Response,
}

struct Cx<'a> {
    old: &'a Version,
    new: &'a Version,
    out: &'a mut Vec<Finding>,
    /// The operation's method, for findings with no field of their own.
    rust: String,
    /// The operation's key (`GET /pets/{}`).
    operation: String,
    /// Type pairs already compared (recursive schemas end here).
    seen: HashSet<(usize, usize, bool)>,
}

impl Cx<'_> {
    fn push(
        &mut self,
        id: &'static str,
        severity: Severity,
        old: &Pointer,
        new: &Pointer,
        rust: Option<String>,
        message: String,
    ) {
        self.out.push(Finding {
            axis: Axis::Wire,
            id,
            severity,
            old: Some(old.to_string()),
            new: Some(new.to_string()),
            rust: Some(rust.unwrap_or_else(|| self.rust.clone())),
            message,
            witness: None,
            operation: Some(self.operation.clone()),
        });
    }

    fn operation(&mut self, a: &Operation, b: &Operation) {
        match (a.deprecated, b.deprecated) {
            (false, true) => {
                let m = "deprecated".to_string();
                self.push("endpoint-deprecated", Severity::Safe, &a.pointer, &b.pointer, None, m);
            }
            (true, false) => {
                let m = "no longer deprecated".to_string();
                self.push("endpoint-reactivated", Severity::Safe, &a.pointer, &b.pointer, None, m);
            }
            _ => {}
        }
        self.params(a, b);
        self.body(a, b);
        self.responses(a, b);
    }

    fn params(&mut self, a: &Operation, b: &Operation) {
        let same = |p: &Param, q: &Param| {
            p.location == q.location
                && if p.location == ParamLocation::Header {
                    p.name.eq_ignore_ascii_case(&q.name)
                } else {
                    p.name == q.name
                }
        };
        // Path parameters are matched by position: the template names them.
        let path_a: Vec<&Param> =
            a.params.iter().filter(|p| p.location == ParamLocation::Path).collect();
        let path_b: Vec<&Param> =
            b.params.iter().filter(|p| p.location == ParamLocation::Path).collect();
        for (p, q) in path_a.iter().zip(&path_b) {
            self.param(p, q);
        }
        for p in a.params.iter().filter(|p| p.location != ParamLocation::Path) {
            match b.params.iter().find(|q| same(p, q)) {
                Some(q) => self.param(p, q),
                None => {
                    let m = format!("{} parameter `{}` removed", location(p), p.name);
                    self.push(
                        "request-parameter-removed",
                        Severity::MayBreak,
                        &p.pointer,
                        &b.pointer,
                        None,
                        m,
                    );
                }
            }
        }
        for q in b.params.iter().filter(|q| q.location != ParamLocation::Path) {
            if !a.params.iter().any(|p| same(p, q)) {
                let (id, severity) = if q.required {
                    ("new-required-request-parameter", Severity::Breaking)
                } else {
                    ("new-optional-request-parameter", Severity::Safe)
                };
                let m =
                    format!("new {} {} parameter `{}`", required(q.required), location(q), q.name);
                self.push(id, severity, &a.pointer, &q.pointer, None, m);
            }
        }
    }

    fn param(&mut self, p: &Param, q: &Param) {
        match (p.required, q.required) {
            (false, true) => {
                let m = format!("{} parameter `{}` became required", location(q), q.name);
                self.push(
                    "request-parameter-became-required",
                    Severity::Breaking,
                    &p.pointer,
                    &q.pointer,
                    None,
                    m,
                );
            }
            (true, false) => {
                let m = format!("{} parameter `{}` became optional", location(q), q.name);
                self.push(
                    "request-parameter-became-optional",
                    Severity::Safe,
                    &p.pointer,
                    &q.pointer,
                    None,
                    m,
                );
            }
            _ => {}
        }
        let (sa, sb) = (self.shape(&p.ty, true), self.shape(&q.ty, false));
        if sa != sb {
            let m = format!("{} parameter `{}` was {sa}, now {sb}", location(q), q.name);
            self.push(
                "request-parameter-type-changed",
                Severity::Breaking,
                &p.pointer,
                &q.pointer,
                None,
                m,
            );
            return;
        }
        if let (Some(x), Some(y)) = (self.values(&p.ty, true), self.values(&q.ty, false)) {
            for v in x.iter().filter(|v| !y.contains(v)) {
                let m =
                    format!("value `{v}` of the {} parameter `{}` removed", location(q), q.name);
                self.push(
                    "request-parameter-enum-value-removed",
                    Severity::Breaking,
                    &p.pointer,
                    &q.pointer,
                    None,
                    m,
                );
            }
            for v in y.iter().filter(|v| !x.contains(v)) {
                let m = format!("new value `{v}` of the {} parameter `{}`", location(q), q.name);
                self.push(
                    "request-parameter-enum-value-added",
                    Severity::Safe,
                    &p.pointer,
                    &q.pointer,
                    None,
                    m,
                );
            }
        }
    }

    fn body(&mut self, a: &Operation, b: &Operation) {
        let at = |op: &Operation, body: &Body| {
            op.pointer.push("requestBody").push("content").push(&body.media_type).push("schema")
        };
        match (&a.body, &b.body) {
            (None, Some(y)) => {
                let (id, severity) = if y.required {
                    ("added-required-request-body", Severity::Breaking)
                } else {
                    ("added-optional-request-body", Severity::Safe)
                };
                let m = format!("new {} request body", required(y.required));
                self.push(id, severity, &a.pointer, &at(b, y), None, m);
            }
            (Some(x), None) => {
                let m = "request body removed".to_string();
                self.push(
                    "request-body-removed",
                    Severity::MayBreak,
                    &at(a, x),
                    &b.pointer,
                    None,
                    m,
                );
            }
            (Some(x), Some(y)) => {
                let (pa, pb) = (at(a, x), at(b, y));
                match (x.required, y.required) {
                    (false, true) => {
                        let m = "request body became required".to_string();
                        self.push(
                            "request-body-became-required",
                            Severity::Breaking,
                            &pa,
                            &pb,
                            None,
                            m,
                        );
                    }
                    (true, false) => {
                        let m = "request body became optional".to_string();
                        self.push(
                            "request-body-became-optional",
                            Severity::Safe,
                            &pa,
                            &pb,
                            None,
                            m,
                        );
                    }
                    _ => {}
                }
                if !x.media_type.eq_ignore_ascii_case(&y.media_type) {
                    let m = format!("request body was `{}`, now `{}`", x.media_type, y.media_type);
                    self.push(
                        "request-body-media-type-changed",
                        Severity::Breaking,
                        &pa,
                        &pb,
                        None,
                        m,
                    );
                    return;
                }
                if let (
                    BodyKind::Json(t) | BodyKind::Form(t),
                    BodyKind::Json(u) | BodyKind::Form(u),
                ) = (&x.kind, &y.kind)
                {
                    self.schema(Side::Request, t, u, &pa, &pb, "request body", None, 0);
                }
            }
            (None, None) => {}
        }
    }

    fn responses(&mut self, a: &Operation, b: &Operation) {
        let statuses = |op: &Operation, success: bool| {
            let list = if success { &op.success } else { &op.errors };
            let mut s: Vec<StatusKey> = Vec::new();
            for o in list {
                if !s.contains(&o.status) {
                    s.push(o.status);
                }
            }
            s
        };
        for success in [true, false] {
            let (xa, xb) = (statuses(a, success), statuses(b, success));
            for st in &xa {
                let pa = response_at(a, *st);
                if !xb.contains(st) {
                    let (id, severity) = if success {
                        ("response-success-status-removed", Severity::Breaking)
                    } else {
                        ("response-non-success-status-removed", Severity::Safe)
                    };
                    let m = format!("answer {} removed", status(*st));
                    self.push(id, severity, &pa, &b.pointer.push("responses"), None, m);
                    continue;
                }
                self.outcomes(a, b, *st, success);
            }
            for st in xb.iter().filter(|s| !xa.contains(s)) {
                let (id, severity, why) = if success {
                    (
                        "response-success-status-added",
                        Severity::MayBreak,
                        ": a client of the old contract does not expect it",
                    )
                } else {
                    ("response-non-success-status-added", Severity::Safe, "")
                };
                let m = format!("new answer {}{why}", status(*st));
                self.push(
                    id,
                    severity,
                    &a.pointer.push("responses"),
                    &response_at(b, *st),
                    None,
                    m,
                );
            }
        }
    }

    fn outcomes(&mut self, a: &Operation, b: &Operation, st: StatusKey, success: bool) {
        let of = |op: &'_ Operation| -> Vec<Outcome> {
            op.success.iter().chain(&op.errors).filter(|o| o.status == st).cloned().collect()
        };
        let (xa, xb) = (of(a), of(b));
        let media = |o: &Outcome| o.content.as_ref().map(|c| c.media_type.to_ascii_lowercase());
        let (pa, pb) = (response_at(a, st), response_at(b, st));
        for x in &xa {
            let Some(m) = media(x) else { continue };
            match xb.iter().find(|y| media(y).as_deref() == Some(m.as_str())) {
                None => {
                    let severity = if success { Severity::Breaking } else { Severity::MayBreak };
                    let text = format!("answer {} no longer comes as `{m}`", status(st));
                    self.push(
                        "response-media-type-removed",
                        severity,
                        &pa.push("content").push(&m),
                        &pb,
                        None,
                        text,
                    );
                }
                Some(y) => {
                    if let (
                        Some(Content { kind: BodyKind::Json(t), .. }),
                        Some(Content { kind: BodyKind::Json(u), .. }),
                    ) = (&x.content, &y.content)
                    {
                        let at_a = pa.push("content").push(&m).push("schema");
                        let at_b = pb.push("content").push(&m).push("schema");
                        self.schema(Side::Response, t, u, &at_a, &at_b, "response body", None, 0);
                    }
                }
            }
        }
        for y in &xb {
            let Some(m) = media(y) else { continue };
            if !xa.iter().any(|x| media(x).as_deref() == Some(m.as_str())) {
                let severity = if success { Severity::MayBreak } else { Severity::Safe };
                let text = format!("answer {} may now come as `{m}`", status(st));
                self.push(
                    "response-media-type-added",
                    severity,
                    &pa,
                    &pb.push("content").push(&m),
                    None,
                    text,
                );
            }
        }
        let headers = |o: &[Outcome]| -> Vec<String> {
            o.first()
                .map(|o| o.headers.iter().map(|h| h.name.to_ascii_lowercase()).collect())
                .unwrap_or_default()
        };
        let (ha, hb) = (headers(&xa), headers(&xb));
        for h in ha.iter().filter(|h| !hb.contains(h)) {
            let m = format!("header `{h}` of answer {} removed", status(st));
            self.push(
                "response-header-removed",
                Severity::MayBreak,
                &pa.push("headers").push(h),
                &pb,
                None,
                m,
            );
        }
        for h in hb.iter().filter(|h| !ha.contains(h)) {
            let m = format!("new header `{h}` of answer {}", status(st));
            self.push(
                "response-header-added",
                Severity::Safe,
                &pa,
                &pb.push("headers").push(h),
                None,
                m,
            );
        }
    }

    /// Compares the schemas `t` (old) and `u` (new) of one place.
    #[allow(clippy::too_many_arguments)]
    fn schema(
        &mut self,
        side: Side,
        t: &Ty,
        u: &Ty,
        pa: &Pointer,
        pb: &Pointer,
        what: &str,
        rust: Option<String>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let (sa, sb) = (self.shape(t, true), self.shape(u, false));
        if sa != sb {
            let id = match (side, depth) {
                (Side::Request, 0) => "request-body-type-changed",
                (Side::Response, 0) => "response-body-type-changed",
                (Side::Request, _) => "request-property-type-changed",
                (Side::Response, _) => "response-property-type-changed",
            };
            self.push(id, Severity::Breaking, pa, pb, rust, format!("{what} was {sa}, now {sb}"));
            return;
        }
        let (ra, rb) = (strip(t), strip(u));
        match (ra, rb) {
            (Ty::List(x), Ty::List(y)) | (Ty::Map(x), Ty::Map(y)) => {
                let (qa, qb) = (pa.push("items"), pb.push("items"));
                self.schema(side, x, y, &qa, &qb, &format!("an item of {what}"), rust, depth + 1);
            }
            (Ty::Named(x), Ty::Named(y)) => {
                if !self.seen.insert((x.0, y.0, side == Side::Request)) {
                    return;
                }
                self.named(side, *x, *y, what, depth);
            }
            _ => {}
        }
    }

    /// Compares the types `x` (old) and `y` (new): what their definitions
    /// hold, reported at the places' own pointers and Rust names.
    fn named(&mut self, side: Side, x: TypeId, y: TypeId, what: &str, depth: usize) {
        let (da, db) = (&self.old.api.types[x.0], &self.new.api.types[y.0]);
        let (ka, kb) = (
            &self.old.api.types[self.old.definition(x).0].kind,
            &self.new.api.types[self.new.definition(y).0].kind,
        );
        match (ka, kb) {
            (TypeKind::Struct(sa), TypeKind::Struct(sb)) => {
                for f in &sa.fields {
                    let fa = da.pointer.push("properties").push(&f.name);
                    let rust = self.old.field(x, &f.name);
                    let Some(g) = sb.fields.iter().find(|g| g.name == f.name) else {
                        let (id, severity) = match (side, f.required) {
                            (Side::Request, _) => ("request-property-removed", Severity::MayBreak),
                            (Side::Response, true) => {
                                ("response-required-property-removed", Severity::Breaking)
                            }
                            (Side::Response, false) => {
                                ("response-optional-property-removed", Severity::MayBreak)
                            }
                        };
                        let m = format!("property `{}` of {what} removed", f.name);
                        self.push(id, severity, &fa, &db.pointer, rust, m);
                        continue;
                    };
                    let fb = db.pointer.push("properties").push(&g.name);
                    let rust = self.new.field(y, &g.name).or(rust);
                    let (na, nb) =
                        (f.nullable || is_nullable(&f.ty), g.nullable || is_nullable(&g.ty));
                    let became = match (side, f.required, g.required) {
                        (Side::Request, false, true) => Some((
                            "request-property-became-required",
                            Severity::Breaking,
                            "became required",
                        )),
                        (Side::Request, true, false) => Some((
                            "request-property-became-optional",
                            Severity::Safe,
                            "became optional",
                        )),
                        (Side::Response, true, false) => Some((
                            "response-property-became-optional",
                            Severity::Breaking,
                            "became optional: it may be left out",
                        )),
                        (Side::Response, false, true) => Some((
                            "response-property-became-required",
                            Severity::Safe,
                            "became required",
                        )),
                        _ => None,
                    };
                    let null = match (side, na, nb) {
                        (Side::Response, false, true) => Some((
                            "response-property-became-nullable",
                            Severity::Breaking,
                            "may now be null",
                        )),
                        (Side::Response, true, false) => Some((
                            "response-property-became-not-nullable",
                            Severity::Safe,
                            "is no longer null",
                        )),
                        (Side::Request, true, false) => Some((
                            "request-property-became-not-nullable",
                            Severity::Breaking,
                            "may no longer be null",
                        )),
                        (Side::Request, false, true) => Some((
                            "request-property-became-nullable",
                            Severity::Safe,
                            "may now be null",
                        )),
                        _ => None,
                    };
                    for (id, severity, how) in [became, null].into_iter().flatten() {
                        let m = format!("property `{}` of {what} {how}", f.name);
                        self.push(id, severity, &fa, &fb, rust.clone(), m);
                    }
                    let inner = format!("property `{}` of {what}", f.name);
                    self.schema(side, &f.ty, &g.ty, &fa, &fb, &inner, rust, depth + 1);
                }
                for g in sb.fields.iter().filter(|g| !sa.fields.iter().any(|f| f.name == g.name)) {
                    let fb = db.pointer.push("properties").push(&g.name);
                    let (id, severity) = match (side, g.required) {
                        (Side::Request, true) => {
                            ("new-required-request-property", Severity::Breaking)
                        }
                        (Side::Request, false) => ("new-optional-request-property", Severity::Safe),
                        (Side::Response, true) => {
                            ("response-required-property-added", Severity::Safe)
                        }
                        (Side::Response, false) => {
                            ("response-optional-property-added", Severity::Safe)
                        }
                    };
                    let m = format!("new {} property `{}` of {what}", required(g.required), g.name);
                    let rust = self.new.field(y, &g.name);
                    self.push(id, severity, &da.pointer, &fb, rust, m);
                }
            }
            (TypeKind::Enum(ea), TypeKind::Enum(eb)) => {
                let rust = Some(self.new.type_path(y));
                for v in ea.values.iter().filter(|v| !eb.values.contains(v)) {
                    let (id, severity) = match side {
                        Side::Request => {
                            ("request-property-enum-value-removed", Severity::Breaking)
                        }
                        Side::Response => ("response-property-enum-value-removed", Severity::Safe),
                    };
                    let m = format!("value `{v}` of {what} removed");
                    self.push(id, severity, &da.pointer, &db.pointer, rust.clone(), m);
                }
                for v in eb.values.iter().filter(|v| !ea.values.contains(v)) {
                    let (id, severity, why) = match side {
                        Side::Request => ("request-property-enum-value-added", Severity::Safe, ""),
                        Side::Response => (
                            "response-property-enum-value-added",
                            Severity::MayBreak,
                            ": a client of the old contract may refuse it (this generator's read it into `Other`)",
                        ),
                    };
                    let m = format!("new value `{v}` of {what}{why}");
                    self.push(id, severity, &da.pointer, &db.pointer, rust.clone(), m);
                }
            }
            (TypeKind::Union(ua), TypeKind::Union(ub)) => {
                let rust = Some(self.new.type_path(y));
                let (na, nb) = (ua.variants.len(), ub.variants.len());
                let (id, severity) = match (side, nb.cmp(&na)) {
                    (_, std::cmp::Ordering::Equal) => return,
                    (Side::Request, std::cmp::Ordering::Less) => {
                        ("request-property-one-of-removed", Severity::Breaking)
                    }
                    (Side::Request, _) => ("request-property-one-of-added", Severity::Safe),
                    (Side::Response, std::cmp::Ordering::Greater) => {
                        ("response-property-one-of-added", Severity::MayBreak)
                    }
                    (Side::Response, _) => ("response-property-one-of-removed", Severity::Safe),
                };
                let m = format!("{what} has {nb} alternatives, had {na}");
                self.push(id, severity, &da.pointer, &db.pointer, rust, m);
            }
            _ => {}
        }
    }

    /// What a value of `ty` is on the wire, in words.
    fn shape(&self, ty: &Ty, old: bool) -> String {
        let v = if old { self.old } else { self.new };
        shape(ty, v, 0)
    }

    /// The values of a string enum `ty` stands for.
    fn values(&self, ty: &Ty, old: bool) -> Option<Vec<String>> {
        let v = if old { self.old } else { self.new };
        let Ty::Named(id) = strip(ty) else { return None };
        match &v.api.types[v.definition(*id).0].kind {
            TypeKind::Enum(e) => Some(e.values.clone()),
            _ => None,
        }
    }
}

fn shape(ty: &Ty, v: &Version, depth: usize) -> String {
    if depth > MAX_DEPTH {
        return "a value".into();
    }
    match strip(ty) {
        Ty::String | Ty::Uuid => "a string".into(),
        Ty::Bool => "a boolean".into(),
        Ty::Int(IntWidth::I32) => "an int32".into(),
        Ty::Int(IntWidth::U32) => "a uint32".into(),
        Ty::Int(IntWidth::I64) => "an integer".into(),
        Ty::Int(IntWidth::U64) => "a uint64".into(),
        Ty::Float => "a number".into(),
        Ty::DateTime => "a date-time".into(),
        Ty::Date => "a date".into(),
        Ty::External(p) => format!("`{p}`"),
        Ty::Json => "any value".into(),
        Ty::List(t) => format!("an array of {}", shape(t, v, depth + 1)),
        Ty::Map(t) => format!("a map of {}", shape(t, v, depth + 1)),
        Ty::Nullable(_) => unreachable!("stripped"),
        Ty::Named(id) => match &v.api.types[v.definition(*id).0].kind {
            TypeKind::Struct(_) => "an object".into(),
            TypeKind::Enum(_) => "a string".into(),
            TypeKind::Union(_) => "one of several schemas".into(),
            TypeKind::Alias(t) => shape(t, v, depth + 1),
        },
    }
}

/// The type inside any `Nullable`s.
fn strip(mut ty: &Ty) -> &Ty {
    while let Ty::Nullable(inner) = ty {
        ty = inner;
    }
    ty
}

fn is_nullable(ty: &Ty) -> bool {
    matches!(ty, Ty::Nullable(_))
}

fn location(p: &Param) -> &'static str {
    match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn required(r: bool) -> &'static str {
    if r {
        "required"
    } else {
        "optional"
    }
}

fn response_at(op: &Operation, s: StatusKey) -> Pointer {
    op.pointer.push("responses").push(status(s))
}
