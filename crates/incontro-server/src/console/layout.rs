//! The page shell (header, navigation per role, language switch, sign-out), the stylesheet and
//! the type-ahead script. One stylesheet and one script, served from `/console/assets/`, so the
//! Content-Security-Policy can forbid inline code.

use actix_web::http::header;
use actix_web::HttpResponse;
use maud::{html, Markup, DOCTYPE};

use super::{sections, Ctx};

/// One navigation entry: path, message key, the roles that see it.
struct NavItem {
    path: &'static str,
    key: &'static str,
    roles: &'static [incontro_core::access::Role],
}

const NAV: &[NavItem] = &[
    NavItem {
        path: "/console/desk",
        key: "nav.desk",
        roles: sections::DESK,
    },
    NavItem {
        path: "/console/companies",
        key: "nav.companies",
        roles: sections::VALIDATOR,
    },
    // Issue 15: the office's vacancies (desk) and the drafts waiting for validation.
    NavItem {
        path: "/console/offers",
        key: "nav.offers",
        roles: sections::DESK,
    },
    NavItem {
        path: "/console/drafts",
        key: "nav.drafts",
        roles: sections::VALIDATOR,
    },
    NavItem {
        path: "/console/appointments",
        key: "nav.appointments",
        roles: sections::APPOINTMENTS,
    },
    NavItem {
        path: "/console/calls",
        key: "nav.calls",
        roles: sections::OPERATOR,
    },
    NavItem {
        path: "/console/reports",
        key: "nav.reports",
        roles: sections::REPORTS,
    },
    NavItem {
        path: "/console/admin",
        key: "nav.admin",
        roles: sections::ADMIN,
    },
];

/// The hidden CSRF field of a signed-in user's POST form.
pub fn csrf_field(ctx: &Ctx) -> Markup {
    let token = ctx
        .user
        .as_ref()
        .map(|user| user.csrf.as_str())
        .unwrap_or("");
    html! { input type="hidden" name="csrf" value=(token); }
}

/// The hidden double-submit field of a form shown before sign-in.
pub fn form_token_field(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name="form_token" value=(ctx.form_token); }
}

/// The full page around `body`.
pub fn page(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    let other = ctx.lang.other();
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Incontro" }
                link rel="stylesheet" href="/console/assets/console.css";
                script src="/console/assets/console.js" defer {}
            }
            body {
                a class="skip" href="#main" { (ctx.t("layout.skip")) }
                header class="top" {
                    a class="brand" href=(if ctx.user.is_some() { "/console" } else { "/prenota" }) { "Incontro" }
                    @if let Some(user) = &ctx.user {
                        nav aria-label=(ctx.t("layout.nav")) {
                            ul {
                                @for item in NAV.iter().filter(|item| item.roles.contains(&user.role())) {
                                    li {
                                        @let current = ctx.path.starts_with(item.path);
                                        a href=(item.path) aria-current=[current.then_some("page")] { (ctx.t(item.key)) }
                                    }
                                }
                            }
                        }
                    }
                    div class="tools" {
                        a href={ (ctx.path) "?lang=" (other.code()) } lang=(other.code()) hreflang=(other.code()) { (other.name()) }
                        @if let Some(user) = &ctx.user {
                            span class="who" { (user.principal.label) " · " (ctx.t(role_key(user.role()))) }
                            form method="post" action="/console/sign-out" class="inline" {
                                (csrf_field(ctx))
                                button type="submit" class="link" { (ctx.t("layout.sign_out")) }
                            }
                        }
                    }
                }
                main id="main" tabindex="-1" {
                    (body)
                }
                footer { (ctx.t("layout.footer")) }
            }
        }
    }
}

/// The message key of a role's name.
pub fn role_key(role: incontro_core::access::Role) -> &'static str {
    use incontro_core::access::Role;
    match role {
        Role::Admin => "role.admin",
        Role::Validator => "role.validator",
        Role::Desk => "role.desk",
        Role::Operator => "role.operator",
        Role::Analyst => "role.analyst",
    }
}

/// The body of an error page.
pub fn error_body(ctx: &Ctx, title: &str, message: &str, code: &str) -> Markup {
    html! {
        h1 { (title) }
        p class="error" role="alert" data-code=(code) { (message) }
        p { a href=(if ctx.user.is_some() { "/console" } else { "/console/sign-in" }) { (ctx.t("layout.back_home")) } }
    }
}

/// A notice or error banner.
pub fn notice(kind: &str, text: &str) -> Markup {
    html! { p class={ "notice " (kind) } role=(if kind == "error" { "alert" } else { "status" }) { (text) } }
}

/// `GET /console/assets/console.css`
pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/css; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(STYLESHEET)
}

/// `GET /console/assets/console.js`
pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/javascript; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(SCRIPT)
}

const STYLESHEET: &str = r#"
:root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #0b5cad; --bg: #f6f8fa;
        --ok: #1a7f37; --warn: #9a6700; --bad: #b42318; font-size: 16px; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       background: #fff; line-height: 1.45; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible,
[role=option]:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; z-index: 10; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1rem;
             background: var(--bg); border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; font-size: 1.2rem; text-decoration: none; color: var(--ink); }
header nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
header nav a[aria-current=page] { font-weight: 700; text-decoration-thickness: 3px; }
.tools { margin-left: auto; display: flex; flex-wrap: wrap; align-items: center; gap: .75rem; }
.who { color: var(--muted); }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
footer { max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: var(--muted); font-size: .85rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
form.inline { display: inline; }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 0 0 1rem; }
legend { font-weight: 600; padding: 0 .25rem; }
label { display: block; font-weight: 600; margin: .5rem 0 .2rem; }
label.check { display: flex; gap: .5rem; align-items: flex-start; font-weight: 400; }
input[type=text], input[type=password], input[type=search], input[type=number], input[type=date],
input[type=time], input[type=url], input[type=email], select, textarea {
  width: 100%; max-width: 32rem; padding: .5rem; font: inherit; border: 1px solid #8c959f; border-radius: 4px; }
textarea { min-height: 5rem; }
button, .button { display: inline-block; font: inherit; padding: .5rem 1rem; border-radius: 4px; border: 1px solid var(--accent);
  background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; margin: .25rem .25rem .25rem 0; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
button.link { background: none; border: none; color: var(--accent); text-decoration: underline; padding: 0; margin: 0; }
.row { display: flex; flex-wrap: wrap; gap: 0 1.5rem; align-items: flex-end; }
.row > div { flex: 1 1 12rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); }
.table-wrap { overflow-x: auto; }
.muted { color: var(--muted); }
ol.matches { list-style: none; padding-left: 0; }
.notice { padding: .6rem .8rem; border-radius: 4px; border: 1px solid var(--line); background: var(--bg); }
.notice.ok { border-color: var(--ok); } .notice.error, p.error { border: 1px solid var(--bad); color: var(--bad);
  padding: .6rem .8rem; border-radius: 4px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: .75rem 0; }
.card h3 { margin: 0 0 .3rem; font-size: 1.1rem; }
.score { font-size: 1.1rem; font-weight: 700; }
.bars { list-style: none; padding: 0; margin: .5rem 0; }
.bars li { display: grid; grid-template-columns: minmax(8rem, 18rem) 7rem 1fr; gap: .5rem; align-items: center;
  padding: .15rem 0; }
.bars meter { width: 7rem; height: 1rem; }
.tag { display: inline-block; font-size: .8rem; padding: .05rem .4rem; border-radius: 999px; border: 1px solid; }
.tag.met { color: var(--ok); } .tag.related { color: var(--warn); } .tag.missing { color: var(--bad); }
.tag.gap { color: var(--bad); font-weight: 600; } .unsuitable { color: var(--bad); }
.tag.draft { color: var(--warn); } .tag.validated { color: var(--ok); } .tag.closed { color: var(--muted); }
.typeahead { position: relative; max-width: 32rem; }
.typeahead ul[role=listbox] { position: absolute; z-index: 5; left: 0; right: 0; margin: 0; padding: 0; list-style: none;
  background: #fff; border: 1px solid #8c959f; border-top: none; max-height: 16rem; overflow-y: auto; }
.typeahead ul[role=listbox]:empty { display: none; }
.typeahead li { padding: .4rem .5rem; cursor: pointer; }
.typeahead li[aria-selected=true], .typeahead li:hover { background: #dbeafe; }
.typeahead li small { color: var(--muted); }
.chosen { margin: .3rem 0; color: var(--ok); min-height: 1.2rem; }
.slots { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .5rem; }
.slots label { font-weight: 400; border: 1px solid var(--line); border-radius: 6px; padding: .5rem; margin: 0; display: flex; gap: .5rem; }
img.chart { max-width: 100%; height: auto; border: 1px solid var(--line); }
.big { font-size: 1.2rem; word-break: break-all; }
@media (max-width: 40rem) {
  header.top { padding: .5rem; } .tools { margin-left: 0; }
  main { padding: .75rem; }
  .bars li { grid-template-columns: 1fr 6rem; } .bars li .why { grid-column: 1 / -1; }
  th, td { padding: .3rem; }
  table.stack thead { display: none; }
  table.stack tr { display: block; border-bottom: 2px solid var(--line); padding: .3rem 0; }
  table.stack td { display: block; border: none; padding: .1rem .3rem; }
  table.stack td::before { content: attr(data-label) ": "; font-weight: 600; }
}
.chosen:empty { min-height: 0; margin: 0; }
/* issue 15: field errors in place, tabs, disabled buttons, kept forms */
.field-error { color: var(--bad); font-weight: 600; margin: .2rem 0 .5rem; }
[aria-invalid=true] { border: 2px solid var(--bad); }
.notice.info { border-color: var(--accent); }
nav.tabs ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; margin: 0 0 1rem;
  border-bottom: 1px solid var(--line); }
nav.tabs a { display: inline-block; padding: .4rem .2rem; }
nav.tabs a[aria-current=page] { font-weight: 700; border-bottom: 3px solid var(--accent); }
button:disabled, button[aria-disabled=true] { background: #eaeef2; border-color: #8c959f; color: #424a53; cursor: not-allowed; }
dl.kept { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.kept dt { font-weight: 600; } dl.kept dd { margin: 0; word-break: break-word; }
"#;

const SCRIPT: &str = r#"// Incontro console: skill type-ahead (the only script; every form also works without it).
(function () {
  'use strict';
  function setup(box) {
    var input = box.querySelector('input[type=search]');
    var hidden = box.querySelector('input[type=hidden]');
    var list = box.querySelector('[role=listbox]');
    var chosen = box.querySelector('.chosen');
    var url = box.getAttribute('data-url');
    var lang = box.getAttribute('data-lang') || 'it';
    var timer = null, active = -1, seq = 0;
    function options() { return list.querySelectorAll('[role=option]'); }
    function close() { list.innerHTML = ''; input.setAttribute('aria-expanded', 'false'); active = -1;
      input.removeAttribute('aria-activedescendant'); }
    function highlight(index) {
      var items = options();
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      for (var i = 0; i < items.length; i++) { items[i].setAttribute('aria-selected', i === active ? 'true' : 'false'); }
      input.setAttribute('aria-activedescendant', items[active].id);
      items[active].scrollIntoView({ block: 'nearest' });
    }
    function choose(item) {
      hidden.value = item.getAttribute('data-uri');
      input.value = item.getAttribute('data-label');
      chosen.textContent = '\u2713 ' + item.getAttribute('data-label');
      close();
    }
    function search() {
      var text = input.value.trim();
      if (text.length < 2) { close(); return; }
      var mine = ++seq;
      fetch(url + '?q=' + encodeURIComponent(text) + '&lang=' + encodeURIComponent(lang),
            { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (hits) {
          if (mine !== seq) { return; }
          list.innerHTML = '';
          hits.forEach(function (hit, i) {
            var li = document.createElement('li');
            li.setAttribute('role', 'option');
            li.id = box.id + '-opt-' + i;
            li.setAttribute('data-uri', hit.uri);
            li.setAttribute('data-label', hit.label);
            li.setAttribute('aria-selected', 'false');
            li.textContent = hit.label;
            if (hit.matched && hit.matched !== hit.label) {
              var small = document.createElement('small');
              small.textContent = ' (' + hit.matched + ')';
              li.appendChild(small);
            }
            li.addEventListener('mousedown', function (event) { event.preventDefault(); choose(li); });
            list.appendChild(li);
          });
          input.setAttribute('aria-expanded', hits.length ? 'true' : 'false');
        })
        .catch(function () { close(); });
    }
    input.addEventListener('input', function () {
      hidden.value = ''; chosen.textContent = '';
      clearTimeout(timer); timer = setTimeout(search, 150);
    });
    input.addEventListener('keydown', function (event) {
      var items = options();
      if (event.key === 'ArrowDown') { event.preventDefault(); highlight(active + 1); }
      else if (event.key === 'ArrowUp') { event.preventDefault(); highlight(active - 1); }
      else if (event.key === 'Enter' && active >= 0 && items[active]) { event.preventDefault(); choose(items[active]); }
      else if (event.key === 'Escape') { close(); }
    });
    input.addEventListener('blur', function () { setTimeout(close, 150); });
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return values[name] !== undefined ? values[name] : whole;
    });
  }
  function setupPlacement(form) {
    var comune = form.querySelector('select[name=comune]');
    var months = form.querySelector('input[name=months]');
    var indemnity = form.querySelector('input[name=indemnity]');
    var rule = form.querySelector('#tirocinio-rule');
    var check = form.querySelector('#tirocinio-check');
    function kind() {
      var chosen = form.querySelector('input[name=placement]:checked');
      return chosen ? chosen.value : 'contract';
    }
    function update() {
      var current = kind();
      var parts = form.querySelectorAll('[data-when]');
      for (var i = 0; i < parts.length; i++) { parts[i].hidden = parts[i].getAttribute('data-when') !== current; }
      var site = comune && comune.options[comune.selectedIndex];
      if (!site || !site.hasAttribute('data-min-months')) { return; }
      var values = {
        region: site.getAttribute('data-region'),
        min: site.getAttribute('data-min-months'),
        max: site.getAttribute('data-max-months'),
        eur: site.getAttribute('data-min-indemnity')
      };
      rule.textContent = fill(form.getAttribute('data-rule-text'), values);
      var problem = '';
      if (current === 'tirocinio') {
        var m = parseInt(months.value, 10), e = parseInt(indemnity.value, 10);
        if (!isNaN(m) && m < +values.min) { problem = fill(form.getAttribute('data-rule-short'), values); }
        else if (!isNaN(m) && m > +values.max) { problem = fill(form.getAttribute('data-rule-long'), values); }
        else if (!isNaN(e) && e < +values.eur) { problem = fill(form.getAttribute('data-rule-low'), values); }
      }
      check.textContent = problem;
      var bad = problem ? 'true' : 'false';
      months.setAttribute('aria-invalid', bad);
      indemnity.setAttribute('aria-invalid', bad);
    }
    var radios = form.querySelectorAll('input[name=placement]');
    for (var i = 0; i < radios.length; i++) { radios[i].addEventListener('change', update); }
    if (comune) { comune.addEventListener('change', update); }
    months.addEventListener('input', update);
    indemnity.addEventListener('input', update);
    update();
  }
  document.addEventListener('DOMContentLoaded', function () {
    var boxes = document.querySelectorAll('.typeahead[data-url]');
    for (var i = 0; i < boxes.length; i++) { setup(boxes[i]); }
    // The desk's search box is a GET form (Back works); a codice fiscale goes by POST instead, so
    // that it does not stay in the browser's history.
    var search = document.querySelector('form[data-cf-post]');
    if (search) {
      search.addEventListener('submit', function () {
        var q = search.querySelector('input[name=q]');
        if (q && /^[A-Za-z0-9]{16}$/.test(q.value.trim())) {
          search.method = 'post';
          search.action = search.getAttribute('data-cf-post');
          var csrf = document.createElement('input');
          csrf.type = 'hidden'; csrf.name = 'csrf'; csrf.value = search.getAttribute('data-csrf');
          search.appendChild(csrf);
        }
      });
    }
    // The new-vacancy form: tirocinio fields only for a tirocinio, contract fields only for a
    // contract, and the region's tirocinio rule checked as the form is filled (the server checks
    // again: this only says it earlier).
    var placement = document.querySelector('form[data-placement-form]');
    if (placement) { setupPlacement(placement); }
    // A form kept through a lost session is sent again as soon as the user has signed in.
    var kept = document.querySelector('form[data-autosubmit=true]');
    if (kept) { kept.submit(); }
  });
})();
"#;

/// One form's error placed next to its field: `(field, message)`, the field `""` being the
/// form's own. Gives each field its message, `aria-invalid`, `aria-describedby` and the message
/// paragraph (`{field}-error`).
pub struct FieldErrors<'e>(pub Option<&'e (&'static str, String)>);

impl FieldErrors<'_> {
    /// The message of `field`, when the error is its.
    pub fn message(&self, field: &str) -> Option<String> {
        self.0
            .filter(|(of, _)| *of == field)
            .map(|(_, message)| message.clone())
    }

    /// `aria-invalid` of `field`.
    pub fn invalid(&self, field: &str) -> Option<&'static str> {
        self.message(field).map(|_| "true")
    }

    /// `aria-describedby` of `field`.
    pub fn described(&self, field: &str) -> Option<String> {
        self.message(field).map(|_| format!("{field}-error"))
    }

    /// The message paragraph of `field` (nothing when the error is another field's).
    pub fn render(&self, field: &str) -> Markup {
        html! {
            @if let Some(text) = self.message(field) {
                p class="field-error" id={ (field) "-error" } role="alert" { (text) }
            }
        }
    }
}
