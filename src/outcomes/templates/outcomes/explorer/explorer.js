/* The findings explorer (outcomes.explorer): filters the report's findings in the page itself.

   The page arrives with the first rows already written (outcomes.explorer renders them to the
   markup row() builds). This script reads the JSON in #explorer-data once, fills the select
   controls, and lists the findings that match the filters, a page of rows at a time. Text from
   the findings only ever goes into textContent and attributes, never into innerHTML. Nothing is
   fetched: it works from file:. */
(function () {
  "use strict";

  var DEBOUNCE_MS = 100;   // after a keystroke in the search box
  var KEY_CHUNK = 3000;    // search keys folded per idle slice, so that no long task follows the first paint
  var ANY = -2;            // a select on its "All ..." option; -1 is "none" (no sub-topic, no delegation)
  // Positions of the columns in each finding (outcomes.explorer.COLUMNS).
  var ID = 0, THEME = 1, SUBTOPIC = 2, SESSION = 3, SPEAKER = 4, DELEGATION = 5, LANGUAGE = 6, TEXT = 7,
      LINK = 8, CONFIDENCE = 9;

  var NON_ASCII = /[^\x00-\x7f]/;
  var MARKS = /[\u0300-\u036f]/g;

  // Lower case without accents, so that "securite" finds "sécurité" and "coeur" finds "cœur".
  function fold(text) {
    text = text.toLowerCase();
    if (!NON_ASCII.test(text)) {
      return text;
    }
    return text.normalize("NFD").replace(MARKS, "").replace(/\u0153/g, "oe").replace(/\u00e6/g, "ae")
      .replace(/[\u2018\u2019\u02bc]/g, "'");
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  // Input text in a <bdi>, as in the rest of the report: its direction cannot leak into the line.
  function isolated(className, text) {
    var span = element("span", className);
    span.appendChild(element("bdi", "", text));
    return span;
  }

  function init() {
    var source = document.getElementById("explorer-data");
    var section = document.getElementById("explorer");
    if (!source || !section || section.hasAttribute("data-ready")) {
      return;
    }
    section.setAttribute("data-ready", "");
    var data = JSON.parse(source.textContent);
    var strings = data.strings;
    var rows = data.findings;
    var total = rows.length;
    var page = data.page;  // rows listed at a time: building rows costs far more than filtering
    var numbers = new Intl.NumberFormat(data.language);
    var decimals = new Intl.NumberFormat(data.language, {minimumFractionDigits: 2, maximumFractionDigits: 2});

    function control(name) {
      return document.getElementById("explorer-" + name);
    }
    var theme = control("theme"), subtopic = control("subtopic"), session = control("session"),
        delegation = control("delegation"), speaker = control("speaker"), search = control("search");
    var count = control("count"), results = control("results"), empty = control("empty"),
        more = control("more"), reset = control("reset");

    // Which filters can say "none": only offered when some finding has no sub-topic or no delegation.
    var noDelegation = false, noSubtopic = [];
    for (var t = 0; t < data.themes.length; t++) {
      noSubtopic.push(false);
    }
    for (var i = 0; i < total; i++) {
      if (rows[i][DELEGATION] < 0) {
        noDelegation = true;
      }
      if (rows[i][SUBTOPIC] < 0) {
        noSubtopic[rows[i][THEME]] = true;
      }
    }

    function fill(select, labels, noneLabel) {
      var fragment = document.createDocumentFragment();
      for (var i = 0; i < labels.length; i++) {
        var option = element("option", "", labels[i][1]);
        option.value = String(labels[i][0]);
        fragment.appendChild(option);
      }
      if (noneLabel) {
        var none = element("option", "", noneLabel);
        none.value = "-1";
        fragment.appendChild(none);
      }
      select.appendChild(fragment);
    }

    function indexed(list, label) {
      return list.map(function (item, i) {
        return [i, label(item)];
      });
    }

    fill(theme, indexed(data.themes, function (pair) { return pair[1]; }));
    fill(session, indexed(data.sessions, function (pair) { return pair[1] ? pair[0] + ". " + pair[1] : pair[0]; }));
    fill(delegation, indexed(data.delegations, String), noDelegation ? strings.no_delegation : "");
    fill(speaker, indexed(data.speakers, String));
    if (!data.subtopics.length) {
      subtopic.parentNode.hidden = true;
    }

    // The sub-topics offered are those of the chosen theme, or all of them.
    function fillSubtopics() {
      var chosen = wanted(theme), kept = subtopic.value;
      var indices = chosen >= 0 ? data.theme_subtopics[chosen] : data.subtopics.map(function (_, i) { return i; });
      var labels = indices.map(function (i) { return [i, data.subtopics[i]]; })
        .sort(function (a, b) { return a[0] - b[0]; });
      var none = data.subtopics.length && (chosen >= 0 ? noSubtopic[chosen] : noSubtopic.indexOf(true) >= 0);
      while (subtopic.options.length > 1) {
        subtopic.remove(1);
      }
      fill(subtopic, labels, none ? strings.no_subtopic : "");
      subtopic.value = kept;
      if (subtopic.selectedIndex < 0) {
        subtopic.value = "";
      }
    }

    function wanted(select) {
      return select.value === "" ? ANY : Number(select.value);
    }

    // Search keys: each finding's text, names, session, theme and id, folded once, built after the first paint.
    var keys = new Array(total), keyed = 0;
    var names = {
      speakers: data.speakers.map(fold),
      delegations: data.delegations.map(fold),
      sessions: data.sessions.map(function (pair) { return fold(pair[0] + " " + pair[1]); }),
      themes: data.themes.map(function (pair) { return fold(pair[0] + " " + pair[1]); }),
      subtopics: data.subtopics.map(fold)
    };

    function buildKeys(end) {
      for (; keyed < end; keyed++) {
        var r = rows[keyed];
        keys[keyed] = fold(r[TEXT]) + "\n" + (r[SPEAKER] >= 0 ? names.speakers[r[SPEAKER]] : "") + "\n" +
          (r[DELEGATION] >= 0 ? names.delegations[r[DELEGATION]] : "") + "\n" + names.sessions[r[SESSION]] + "\n" +
          names.themes[r[THEME]] + "\n" + (r[SUBTOPIC] >= 0 ? names.subtopics[r[SUBTOPIC]] : "") + "\n" +
          r[ID].toLowerCase();
      }
    }

    function later(callback) {
      return window.requestIdleCallback ? window.requestIdleCallback(callback) : setTimeout(callback, 1);
    }
    function buildSome() {
      buildKeys(Math.min(keyed + KEY_CHUNK, total));
      if (keyed < total) {
        later(buildSome);
      }
    }

    var matches = new Int32Array(total), matched = 0, listed = 0, pending = 0, applied = null;

    function row(r) {
      var item = element("li", "explorer-row");
      item.setAttribute("data-id", r[ID]);
      item.setAttribute("data-theme", data.themes[r[THEME]][0]);
      item.setAttribute("data-session", data.sessions[r[SESSION]][0]);
      var quote = element("p", "explorer-quote");
      quote.lang = r[LANGUAGE];
      var q = element("q");
      q.appendChild(element("bdi", "", r[TEXT]));
      quote.appendChild(q);
      item.appendChild(quote);
      var meta = element("p", "explorer-meta");
      if (r[SPEAKER] >= 0) {
        meta.appendChild(isolated("explorer-speaker", data.speakers[r[SPEAKER]]));
      }
      if (r[DELEGATION] >= 0) {
        meta.appendChild(isolated("explorer-delegation", data.delegations[r[DELEGATION]]));
      }
      var where = data.sessions[r[SESSION]];
      var sessionSpan = element("span", "explorer-session", where[0] + (where[1] ? ". " : ""));
      if (where[1]) {
        sessionSpan.appendChild(element("bdi", "", where[1]));
      }
      meta.appendChild(sessionSpan);
      var themeSpan = isolated("explorer-theme", data.themes[r[THEME]][1]);
      if (r[SUBTOPIC] >= 0) {
        themeSpan.appendChild(document.createTextNode(" \u203a "));
        themeSpan.appendChild(isolated("explorer-subtopic", data.subtopics[r[SUBTOPIC]]));
      }
      meta.appendChild(themeSpan);
      if (r[CONFIDENCE] !== null) {
        meta.appendChild(element("span", "explorer-confidence",
          strings.confidence.replace("{value}", decimals.format(r[CONFIDENCE]))));
      }
      if (r[LINK] !== "") {
        var link = element("a", "explorer-link", strings.in_context);
        link.href = typeof r[LINK] === "number" ? data.pages[r[LINK]] + "#" + r[ID] : r[LINK];
        // Only a link into the report's own pages (outcomes.explorer keeps relative links only).
        if (link.protocol === location.protocol && link.host === location.host) {
          meta.appendChild(link);
        }
      }
      item.appendChild(meta);
      return item;
    }

    function list() {
      var end = Math.min(listed + page, matched);
      var fragment = document.createDocumentFragment();
      for (var i = listed; i < end; i++) {
        fragment.appendChild(row(rows[matches[i]]));
      }
      results.appendChild(fragment);
      listed = end;
      settle();
    }

    // The count, the "show more" button and the empty message, changed only where they differ, so
    // that the live region announces a new count and nothing else.
    function settle() {
      var counted = strings.count.replace("{n}", numbers.format(matched)).replace("{total}", numbers.format(total));
      if (count.textContent !== counted) {
        count.textContent = counted;
      }
      more.hidden = listed >= matched;
      var label = strings.more.replace("{n}", numbers.format(Math.min(page, matched - listed)));
      if (!more.hidden && more.textContent !== label) {
        more.textContent = label;
      }
      empty.hidden = matched > 0;
    }

    function terms() {
      return fold(search.value).split(/\s+/).filter(Boolean);
    }

    // What the list shows, as one string: an event that changes nothing (Enter, then "change" on
    // leaving the box; a space typed) rebuilds nothing.
    function state(words) {
      return [theme.value, subtopic.value, session.value, delegation.value, speaker.value].concat(words).join("\n");
    }

    function apply() {
      if (pending) {
        clearTimeout(pending);
        pending = 0;
      }
      var words = terms(), nTerms = words.length, now = state(words);
      if (now === applied) {
        return;
      }
      applied = now;
      var byTheme = wanted(theme), bySubtopic = wanted(subtopic), bySession = wanted(session),
          byDelegation = wanted(delegation), bySpeaker = wanted(speaker);
      if (nTerms) {
        buildKeys(total);
      }
      var n = 0;
      findings: for (var i = 0; i < total; i++) {
        var r = rows[i];
        if ((byTheme !== ANY && r[THEME] !== byTheme) || (bySubtopic !== ANY && r[SUBTOPIC] !== bySubtopic) ||
            (bySession !== ANY && r[SESSION] !== bySession) ||
            (byDelegation !== ANY && r[DELEGATION] !== byDelegation) ||
            (bySpeaker !== ANY && r[SPEAKER] !== bySpeaker)) {
          continue;
        }
        for (var j = 0; j < nTerms; j++) {
          if (keys[i].indexOf(words[j]) < 0) {
            continue findings;
          }
        }
        matches[n++] = i;
      }
      matched = n;
      listed = 0;
      results.textContent = "";
      list();
    }

    theme.addEventListener("change", function () {
      fillSubtopics();
      apply();
    });
    [subtopic, session, delegation, speaker].forEach(function (select) {
      select.addEventListener("change", apply);
    });
    search.addEventListener("input", function () {
      if (pending) {
        clearTimeout(pending);
      }
      pending = setTimeout(apply, DEBOUNCE_MS);
    });
    // Enter, or leaving the box: at once.
    search.addEventListener("change", apply);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        apply();
      }
    });
    more.addEventListener("click", list);
    reset.addEventListener("click", function () {
      [theme, session, delegation, speaker].forEach(function (select) {
        select.value = "";
      });
      search.value = "";
      fillSubtopics();
      subtopic.value = "";
      apply();
    });

    fillSubtopics();
    var written = results.children.length;
    if (!terms().length && !theme.value && !subtopic.value && !session.value && !delegation.value &&
        !speaker.value && written === Math.min(page, total) &&
        (!written || results.lastElementChild.getAttribute("data-id") === rows[written - 1][ID])) {
      // The rows written into the page are this list's first page: keep them (and the focus, if a
      // reader is already on one of their links).
      for (var k = 0; k < total; k++) {
        matches[k] = k;
      }
      matched = total;
      listed = written;
      applied = state([]);
      settle();
    } else {
      apply();
    }
    if (window.performance && performance.mark) {
      performance.mark("explorer-ready");
    }
    later(buildSome);
  }

  init();
}());
