//! Which operations page, and how: read off the spec's names with no
//! configuration where they leave no doubt (a cursor parameter and a
//! next-cursor field, a `Link` header, a next-URL field, `has_more` with
//! `starting_after`, offset or page parameters), or as the operation's
//! `x-pagination` says. An operation pages only when its items are found
//! too: a `GET` whose one JSON success is a list, or an object with one
//! list (or one of the names lists go by).

use crate::model::*;

pub fn detect(api: &mut Api) {
    for i in 0..api.operations.len() {
        let paging = match &api.operations[i].paging_hint {
            PagingHint::Off => None,
            PagingHint::Given { style, items } => {
                given(api, &api.operations[i], style.clone(), items.as_deref())
            }
            PagingHint::Detect => detected(api, &api.operations[i]),
        };
        api.operations[i].paging = paging;
    }
}

/// The one JSON success body of an operation that reads whole.
fn page_ty(op: &Operation) -> Option<&Ty> {
    if op.streams() {
        return None;
    }
    let mut bodies = op.success.iter().filter_map(|o| match &o.content {
        Some(Content { kind: BodyKind::Json(t), .. }) if o.status.is_success() => Some(t),
        _ => None,
    });
    let one = bodies.next()?;
    bodies.next().is_none().then_some(one)
}

fn given(api: &Api, op: &Operation, style: PageStyle, items: Option<&str>) -> Option<Paging> {
    let page = page_ty(op)?;
    let (items, item) = match items {
        Some(pointer) => (pointer.to_string(), item_at(api, page, pointer)?),
        None => find_items(api, page)?,
    };
    Some(Paging { style, items, item })
}

/// The type of the list at `pointer`; any JSON value when the schema does
/// not say.
fn item_at(api: &Api, page: &Ty, pointer: &str) -> Option<Ty> {
    let mut ty = resolve(api, page);
    for segment in pointer.split('/').skip(1) {
        let name = segment.replace("~1", "/").replace("~0", "~");
        ty = match struct_of(api, &ty) {
            Some(s) => resolve(api, &s.fields.iter().find(|f| f.name == name)?.ty),
            None => return Some(Ty::Json),
        };
    }
    match ty {
        Ty::List(item) => Some(*item),
        _ => Some(Ty::Json),
    }
}

fn detected(api: &Api, op: &Operation) -> Option<Paging> {
    if op.method != Method::Get {
        return None;
    }
    let page = page_ty(op)?;
    let (items, item) = find_items(api, page)?;
    let query: Vec<(String, &Param)> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query && !p.required)
        .map(|p| (normal(&p.name), p))
        .collect();
    let param = |names: &[&str], integer: bool| {
        query
            .iter()
            .find(|(n, p)| {
                names.contains(&n.as_str())
                    && (!integer || matches!(scalar(api, &p.ty), Some(Ty::Int(_))))
            })
            .map(|(_, p)| p.name.clone())
    };
    let fields = scalar_fields(api, page);
    let field = |names: &[&str], of: Option<Ty>| {
        fields
            .iter()
            .find(|(n, _, t)| names.contains(&n.as_str()) && of.as_ref().is_none_or(|of| t == of))
            .map(|(_, pointer, _)| pointer.clone())
    };
    let link =
        op.success.iter().any(|o| o.headers.iter().any(|h| h.name.eq_ignore_ascii_case("link")));
    let style = if link {
        PageStyle::Link
    } else if let (Some(param), Some(more)) =
        (param(&["startingafter"], false), field(&["hasmore"], Some(Ty::Bool)))
    {
        PageStyle::HasMore { param, more }
    } else if let Some((param, next)) = cursor(&query, &fields) {
        PageStyle::Cursor { param, next }
    } else if let Some(next) = field(NEXT_URLS, Some(Ty::String)) {
        PageStyle::NextUrl { next }
    } else if let Some(param) = param(OFFSETS, true) {
        PageStyle::Offset { param, limit: param_named(&query, SIZES) }
    } else if let Some(param) = param(PAGES, true) {
        let docs = query.iter().find(|(_, p)| p.name == param).and_then(|(_, p)| p.docs.as_deref());
        PageStyle::Page { param, size: param_named(&query, SIZES), first: first_page(docs) }
    } else {
        return None;
    };
    Some(Paging { style, items, item })
}

/// Parameters that carry an opaque position, and the names of the field
/// that gives the next one (besides `next` + the parameter's own name).
const CURSORS: &[&str] = &[
    "cursor",
    "pagetoken",
    "nexttoken",
    "continuationtoken",
    "continuation",
    "marker",
    "after",
    "pagecursor",
    "pageafter",
    "startcursor",
    "nextcursor",
    "nextpagetoken",
];
const NEXT_CURSORS: &[&str] = &[
    "nextcursor",
    "nextpagetoken",
    "nexttoken",
    "nextmarker",
    "continuationtoken",
    "nextcontinuationtoken",
    "endcursor",
    "nextpagecursor",
    "cursorsafter",
    "next",
];
/// Fields that hold the next page's URL (normalized: `@odata.nextLink` is
/// `odatanextlink`, HAL's `_links.next.href` is `nexthref`).
const NEXT_URLS: &[&str] =
    &["next", "nexturl", "nextlink", "odatanextlink", "nextpageurl", "nexthref", "linksnext"];
const OFFSETS: &[&str] = &["offset", "skip", "startindex"];
const PAGES: &[&str] = &["page", "pagenumber", "pageno", "pagenum", "pageindex"];
/// In order of preference: Stack Exchange's `max` is a bound of the sort
/// field, and `pagesize` its page size.
const SIZES: &[&str] =
    &["limit", "perpage", "pagesize", "pagelimit", "maxresults", "size", "count", "top"];

/// A cursor parameter and the field that gives its next value.
fn cursor(query: &[(String, &Param)], fields: &[(String, String, Ty)]) -> Option<(String, String)> {
    for (name, p) in query {
        if !CURSORS.contains(&name.as_str()) {
            continue;
        }
        let own = format!("next{name}");
        let next = fields.iter().find(|(n, _, t)| {
            (NEXT_CURSORS.contains(&n.as_str()) || *n == own)
                && matches!(t, Ty::String | Ty::Int(_))
        });
        if let Some((_, pointer, _)) = next {
            return Some((p.name.clone(), pointer.clone()));
        }
    }
    None
}

/// Pages count from 1 unless the parameter's docs say they count from 0
/// (Paylocity: "page numbers are 0-based ... Default value is 0").
fn first_page(docs: Option<&str>) -> u64 {
    let docs = docs.unwrap_or("").to_ascii_lowercase().replace(['-', '_'], " ");
    let zero = [
        "0 based",
        "zero based",
        "0 indexed",
        "zero indexed",
        "starts at 0",
        "start at 0",
        "begins at 0",
        "starting at 0",
        "starting from 0",
        "starts from 0",
        "default value is 0",
        "defaults to 0",
        "default is 0",
        "default: 0",
        "first page is 0",
    ];
    u64::from(!zero.iter().any(|z| docs.contains(z)))
}

/// The parameter with the first of `names` that the operation has.
fn param_named(query: &[(String, &Param)], names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| query.iter().find(|(n, _)| n == name)).map(|(_, p)| p.name.clone())
}

/// Whether an operation takes a query parameter named like a position
/// (`page`, `cursor`, `offset`, `nextToken`, ...; not `access_token`): where
/// the pagination report looks for operations detection missed.
pub(crate) fn takes_a_position(op: &Operation) -> bool {
    const WORDS: &[&str] =
        &["page", "cursor", "offset", "nexttoken", "continuation", "marker", "after", "skip"];
    op.params.iter().any(|p| {
        let n = normal(&p.name);
        p.location == ParamLocation::Query && WORDS.iter().any(|w| n.contains(w))
    })
}

/// Lowercase ASCII letters and digits only: `page[size]`, `page_size` and
/// `pageSize` are one name.
pub(crate) fn normal(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// A type with aliases and nullability looked through.
fn resolve(api: &Api, ty: &Ty) -> Ty {
    let mut ty = ty.clone();
    for _ in 0..32 {
        ty = match ty {
            Ty::Nullable(inner) => *inner,
            Ty::Named(id) => match &api.types[id.0].kind {
                TypeKind::Alias(t) => t.clone(),
                _ => return Ty::Named(id),
            },
            other => return other,
        };
    }
    ty
}

fn scalar(api: &Api, ty: &Ty) -> Option<Ty> {
    match resolve(api, ty) {
        t @ (Ty::String | Ty::Int(_) | Ty::Bool) => Some(t),
        Ty::Named(id) if matches!(api.types[id.0].kind, TypeKind::Enum(_)) => Some(Ty::String),
        _ => None,
    }
}

fn struct_of<'a>(api: &'a Api, ty: &Ty) -> Option<&'a Struct> {
    match resolve(api, ty) {
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// Names lists of items go by, when an object has more than one list.
const ITEMS: &[&str] = &[
    "data",
    "items",
    "results",
    "values",
    "value",
    "records",
    "entries",
    "elements",
    "list",
    "content",
    "objects",
    "hits",
    "nodes",
    "edges",
    "resources",
];

/// Where the items are: the body, when it is a list; else its one list
/// field, or the one of several whose name says it is the items.
fn find_items(api: &Api, page: &Ty) -> Option<(String, Ty)> {
    let page = resolve(api, page);
    if let Ty::List(item) = page {
        return Some((String::new(), *item));
    }
    let s = struct_of(api, &page)?;
    let lists: Vec<(&Field, Ty)> = s
        .fields
        .iter()
        .filter_map(|f| match resolve(api, &f.ty) {
            Ty::List(item) => Some((f, *item)),
            _ => None,
        })
        .collect();
    let chosen = match lists.len() {
        0 => return None,
        1 => &lists[0],
        _ => {
            let mut named = lists.iter().filter(|(f, _)| ITEMS.contains(&normal(&f.name).as_str()));
            let one = named.next()?;
            if named.next().is_some() {
                return None;
            }
            one
        }
    };
    Some((format!("/{}", pointer_segment(&chosen.0.name)), chosen.1.clone()))
}

fn pointer_segment(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Every scalar field of the body and of the objects in it, two levels
/// down: its name (normalized, with its parent's for `links.next`,
/// `next.href` and `cursors.after`), its JSON pointer and its type.
fn scalar_fields(api: &Api, page: &Ty) -> Vec<(String, String, Ty)> {
    let mut out = Vec::new();
    let mut stack = vec![(resolve(api, page), String::new(), String::new(), 0)];
    while let Some((ty, pointer, parent, depth)) = stack.pop() {
        let Some(s) = struct_of(api, &ty) else { continue };
        for f in &s.fields {
            let at = format!("{pointer}/{}", pointer_segment(&f.name));
            let name = normal(&f.name);
            if let Some(t) = scalar(api, &f.ty) {
                // A field known by its parent's name too: `_links.next.href`.
                let joined = match (parent.as_str(), name.as_str()) {
                    ("next", "href") => Some("nexthref"),
                    ("links", "next") => Some("linksnext"),
                    ("cursors", "after") => Some("cursorsafter"),
                    _ => None,
                };
                out.push((joined.map_or(name.clone(), str::to_string), at.clone(), t));
            } else if depth < 2 {
                stack.push((resolve(api, &f.ty), at, name, depth + 1));
            }
        }
    }
    // Nearest the top first, then in field order: the stack reversed them.
    out.sort_by_key(|(_, pointer, _)| pointer.matches('/').count());
    out
}

#[cfg(test)]
mod tests {
    /// Each operation's style, and where its next page and items are.
    fn detected(paths: &str) -> Vec<String> {
        let spec = format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}{paths}");
        let mut api = crate::testing::lowered(&spec);
        super::detect(&mut api);
        api.operations
            .iter()
            .map(|op| match &op.paging {
                Some(p) => format!("{}: {:?} items {:?}", op.id, p.style, p.items),
                None => format!("{}: none", op.id),
            })
            .collect()
    }

    #[test]
    fn styles_are_read_off_names() {
        let got = detected(
            r#"
paths:
  /cursor:
    get:
      operationId: cursor
      parameters: [{name: cursor, in: query, schema: {type: string}}, {name: limit, in: query, schema: {type: integer}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {
        data: {type: array, items: {type: string}}, meta: {type: object, properties: {next_cursor: {type: string, nullable: true}}}}}}}}}
  /token:
    get:
      operationId: token
      parameters: [{name: pageToken, in: query, schema: {type: string}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {
        nextPageToken: {type: string}, kind: {type: string}, files: {type: array, items: {type: string}}}}}}}}
  /stripe:
    get:
      operationId: stripe
      parameters: [{name: starting_after, in: query, schema: {type: string}}, {name: limit, in: query, schema: {type: integer}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {
        has_more: {type: boolean}, data: {type: array, items: {type: object, properties: {id: {type: string}}}}}}}}}}
  /github:
    get:
      operationId: github
      parameters: [{name: page, in: query, schema: {type: integer}}, {name: per_page, in: query, schema: {type: integer}}]
      responses: {'200': {description: ok, headers: {Link: {schema: {type: string}}}, content: {application/json: {schema: {type: array, items: {type: string}}}}}}
  /graph:
    get:
      operationId: graph
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {
        '@odata.nextLink': {type: string}, value: {type: array, items: {type: string}}}}}}}}
  /offset:
    get:
      operationId: offset
      parameters: [{name: offset, in: query, schema: {type: integer}}, {name: limit, in: query, schema: {type: integer}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {
        total: {type: integer}, results: {type: array, items: {type: string}}}}}}}}
  /page:
    get:
      operationId: page
      parameters: [{name: 'page[number]', in: query, schema: {type: integer}}, {name: 'page[size]', in: query, schema: {type: integer}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}}
  /zero:
    get:
      operationId: zero
      parameters: [{name: pagenumber, in: query, description: 'Page numbers are 0-based. Default value is 0.', schema: {type: integer}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}}
  /one:
    get:
      operationId: notAList
      parameters: [{name: cursor, in: query, schema: {type: string}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {next_cursor: {type: string}, name: {type: string}}}}}}}
  /two-lists:
    get:
      operationId: twoLists
      parameters: [{name: offset, in: query, schema: {type: integer}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {a: {type: array, items: {type: string}}, b: {type: array, items: {type: string}}}}}}}}
  /string-offset:
    get:
      operationId: stringOffset
      parameters: [{name: offset, in: query, schema: {type: string}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}}
  /post:
    post:
      operationId: search
      parameters: [{name: page, in: query, schema: {type: integer}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}}
  /given:
    get:
      operationId: given
      x-pagination: {style: cursor, param: from, next: /tail, items: /rows}
      parameters: [{name: from, in: query, schema: {type: string}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {
        tail: {type: string}, rows: {type: array, items: {type: integer}}, more: {type: array, items: {type: integer}}}}}}}}
  /off:
    get:
      operationId: off
      x-pagination: false
      parameters: [{name: page, in: query, schema: {type: integer}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}}
"#,
        );
        insta::assert_snapshot!(got.join("\n"), @r#"
        cursor: Cursor { param: "cursor", next: "/meta/next_cursor" } items "/data"
        token: Cursor { param: "pageToken", next: "/nextPageToken" } items "/files"
        stripe: HasMore { param: "starting_after", more: "/has_more" } items "/data"
        github: Link items ""
        graph: NextUrl { next: "/@odata.nextLink" } items "/value"
        offset: Offset { param: "offset", limit: Some("limit") } items "/results"
        page: Page { param: "page[number]", size: Some("page[size]"), first: 1 } items ""
        zero: Page { param: "pagenumber", size: None, first: 0 } items ""
        notAList: none
        twoLists: none
        stringOffset: none
        search: none
        given: Cursor { param: "from", next: "/tail" } items "/rows"
        off: none
        "#);
    }
}
