// The search page of the default theme: queries the index presswerk writes to /_search/.
//
// meta.json names the chunks of the sorted key list (each chunk's first key), the filter
// values and the word endings the site's stemmer takes off. A query word is folded as
// presswerk folds words (lower case, no diacritics, "ae" also read as "a" in German), then
// looked up twice: as the start of keys (so "Systemh" finds "systemhaus" while typing, and
// "Systemhaus" finds "systemhauskooperation"), and, with each ending taken off, as a whole
// key ("Partnerschaften" → "partnerschaft"). Only the chunks those keys fall into are
// fetched, then the files of the results shown: a query never loads the whole archive.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form || !window.fetch) return;
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var filters = form.querySelector(".search-filters");
  var selects = {
    type: document.getElementById("search-type"),
    region: document.getElementById("search-region"),
    tag: document.getElementById("search-tag")
  };
  var base = form.getAttribute("data-index");
  var PAGE = 10, MAX_CHUNKS_PER_WORD = 4, MAX_WORDS = 8, MAX_WORD = 40;
  var meta = null, chunks = new Map(), docs = new Map(), filterIds = new Map();
  var run = 0, ranked = [], shown = 0, terms = [];

  function label(name, q, n) {
    return form.getAttribute("data-" + name).replace("{q}", q).replace("{n}", n);
  }
  function get(file) {
    return fetch(base + file).then(function (r) {
      if (!r.ok) throw new Error(file + ": " + r.status);
      return r.json();
    });
  }
  function cached(map, file) {
    if (!map.has(file)) {
      var p = get(file);
      p.catch(function () { map.delete(file); });
      map.set(file, p);
    }
    return map.get(file);
  }

  var SPECIAL = { "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "þ": "th" };
  function fold(word) {
    return word.toLowerCase().replace(/[ßøæœłđþ]/g, function (c) { return SPECIAL[c]; })
      .normalize("NFD").replace(/\p{M}/gu, "");
  }
  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) {
      return w && Array.from(w).length <= MAX_WORD;
    });
  }
  // What one query word looks up: keys starting with a form, keys equal to a stem.
  function lookups(word) {
    var f = fold(word), forms = [f];
    if (meta.umlaut_spellings) {
      var plain = f.replace(/ae/g, "a").replace(/oe/g, "o").replace(/ue/g, "u");
      if (plain !== f) forms.push(plain);
    }
    var stems = new Set();
    forms.forEach(function (form) {
      meta.endings.forEach(function (e) {
        if (form.length > e.length && form.endsWith(e)) {
          var stem = form.slice(0, form.length - e.length);
          if (Array.from(stem).length >= meta.min_stem) stems.add(stem);
        }
      });
    });
    return { forms: forms, stems: stems };
  }
  // The chunk that holds `key` if it is in the index (the last chunk starting at or before it).
  function chunkOf(key) {
    var lo = 0, hi = meta.chunks.length - 1, found = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (meta.chunks[mid][0] <= key) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }
  function chunksFor(look) {
    var need = new Set();
    look.forms.forEach(function (form) {
      var i = chunkOf(form);
      for (var n = 0; i < meta.chunks.length && n < MAX_CHUNKS_PER_WORD; i++, n++) {
        if (n > 0 && !meta.chunks[i][0].startsWith(form)) break;
        need.add(meta.chunks[i][1]);
      }
    });
    look.stems.forEach(function (s) { need.add(meta.chunks[chunkOf(s)][1]); });
    return Array.from(need);
  }
  // Per document: the best weight of a key this word matches (a whole key counts more).
  function matches(look, loaded) {
    var best = new Map();
    loaded.forEach(function (chunk) {
      Object.keys(chunk).forEach(function (key) {
        var exact = look.stems.has(key) || look.forms.indexOf(key) >= 0;
        var prefix = look.forms.some(function (f) { return key.startsWith(f); });
        if (!exact && !prefix) return;
        var postings = chunk[key], id = 0;
        for (var k = 0; k < postings.length; k += 2) {
          id += postings[k];
          var w = postings[k + 1], title = w >= 1000 ? 1 : 0;
          var score = (w % 1000) + (exact ? 50 : 0), old = best.get(id);
          if (!old || title > old.title || (title === old.title && score > old.score)) {
            best.set(id, { title: title, score: score });
          }
        }
      });
    });
    return best;
  }
  function selectedFilters() {
    var wanted = [];
    Object.keys(selects).forEach(function (name) {
      var v = selects[name].value;
      if (!v) return;
      var entry = (meta.filters[name] || []).find(function (e) { return e[0] === v; });
      wanted.push(entry ? entry[2] : null);
    });
    return wanted;
  }

  function search(q) {
    var mine = ++run;
    var qwords = words(q).slice(0, MAX_WORDS);
    list.textContent = "";
    more.hidden = true;
    if (!qwords.length) { status.textContent = ""; ranked = []; return Promise.resolve(); }
    status.textContent = label("loading", q, 0);
    var looks = qwords.map(lookups);
    terms = [];
    looks.forEach(function (l) { terms = terms.concat(l.forms, Array.from(l.stems)); });
    var perWord = looks.map(function (look) {
      return Promise.all(chunksFor(look).map(function (f) { return cached(chunks, f); }))
        .then(function (loaded) { return matches(look, loaded); });
    });
    var wanted = selectedFilters();
    var filterSets = Promise.all(wanted.map(function (f) {
      if (f === null) return new Set();
      return cached(filterIds, f).then(function (deltas) {
        var s = new Set(), id = 0;
        deltas.forEach(function (d) { id += d; s.add(id); });
        return s;
      });
    }));
    return Promise.all([Promise.all(perWord), filterSets]).then(function (r) {
      if (mine !== run) return;
      var maps = r[0], sets = r[1], hits = [];
      maps[0].forEach(function (m, id) {
        var title = 0, score = 0;
        for (var i = 0; i < maps.length; i++) {
          var x = maps[i].get(id);
          if (!x) return;
          title += x.title; score += x.score;
        }
        for (var j = 0; j < sets.length; j++) if (!sets[j].has(id)) return;
        hits.push({ id: id, title: title, score: score });
      });
      // Title matches first, then how well the words match, then the newest (higher ids).
      hits.sort(function (a, b) { return b.title - a.title || b.score - a.score || b.id - a.id; });
      ranked = hits;
      shown = 0;
      if (!hits.length) { status.textContent = label("no-results", q, 0); return; }
      status.textContent = label(hits.length === 1 ? "one-result" : "results", q, hits.length);
      return showMore(mine);
    }).catch(function () {
      if (mine === run) status.textContent = label("error", q, 0);
    });
  }

  function showMore(mine) {
    var next = ranked.slice(shown, shown + PAGE);
    shown += next.length;
    return Promise.all(next.map(function (h) { return cached(docs, "d/" + h.id + ".json"); }))
      .then(function (loaded) {
        if (mine !== run) return;
        loaded.forEach(function (d) { list.appendChild(item(d)); });
        more.hidden = shown >= ranked.length;
      });
  }

  // Whether a word of the text is one the query looked for.
  function wanted(word) {
    var f = fold(word);
    return terms.some(function (t) { return f.startsWith(t); });
  }
  function highlighted(el, text) {
    text.split(/([\p{L}\p{N}]+)/u).forEach(function (part, i) {
      if (i % 2 === 1 && wanted(part)) {
        var m = document.createElement("mark");
        m.textContent = part;
        el.appendChild(m);
      } else {
        el.appendChild(document.createTextNode(part));
      }
    });
  }
  function excerpt(text) {
    var all = text.split(/\s+/), at = 0;
    for (var i = 0; i < all.length; i++) {
      if (words(all[i]).some(wanted)) { at = i; break; }
    }
    var from = Math.max(0, at - 12), to = Math.min(all.length, from + 36);
    return (from > 0 ? "… " : "") + all.slice(from, to).join(" ") + (to < all.length ? " …" : "");
  }
  function item(d) {
    var li = document.createElement("li");
    var h = document.createElement("h3"), a = document.createElement("a");
    a.href = d.url;
    highlighted(a, d.title);
    h.appendChild(a);
    li.appendChild(h);
    var m = document.createElement("p");
    m.className = "search-meta";
    var parts = [form.getAttribute("data-type-" + d.type) || d.type];
    m.appendChild(document.createTextNode(parts[0]));
    if (d.date) {
      m.appendChild(document.createTextNode(" · "));
      var t = document.createElement("time");
      t.dateTime = d.date;
      t.textContent = d.date_text;
      m.appendChild(t);
    }
    if (d.authors.length) m.appendChild(document.createTextNode(" · " + form.getAttribute("data-by") + " " + d.authors.join(", ")));
    if (d.region) m.appendChild(document.createTextNode(" · " + d.region));
    li.appendChild(m);
    if (d.text) {
      var p = document.createElement("p");
      p.className = "search-excerpt";
      highlighted(p, excerpt(d.text));
      li.appendChild(p);
    }
    return li;
  }

  function fillFilters() {
    Object.keys(selects).forEach(function (name) {
      var values = meta.filters[name] || [], sel = selects[name];
      values.forEach(function (v) {
        var o = document.createElement("option");
        o.value = v[0];
        o.textContent = (name === "type" ? form.getAttribute("data-type-" + v[0]) || v[0] : v[0]) + " (" + v[1] + ")";
        sel.appendChild(o);
      });
      sel.parentNode.hidden = values.length < 2 && name === "type";
    });
    filters.hidden = false;
  }
  function fromUrl() {
    var p = new URLSearchParams(location.search);
    input.value = p.get("q") || "";
    Object.keys(selects).forEach(function (n) { selects[n].value = p.get(n) || ""; });
  }
  function toUrl() {
    var p = new URLSearchParams();
    if (input.value) p.set("q", input.value);
    Object.keys(selects).forEach(function (n) { if (selects[n].value) p.set(n, selects[n].value); });
    var s = p.toString();
    history.replaceState(null, "", location.pathname + (s ? "?" + s : ""));
  }

  var timer = 0;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(function () { toUrl(); search(input.value); }, 120);
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); toUrl(); search(input.value); });
  input.addEventListener("input", later);
  Object.keys(selects).forEach(function (n) { selects[n].addEventListener("change", later); });
  more.addEventListener("click", function () {
    var first = list.children.length;
    showMore(run).then(function () {
      var a = list.children[first] && list.children[first].querySelector("a");
      if (a) a.focus();
    });
  });
  // Arrow keys move between the query and the results' links.
  form.parentNode.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("h3 a"));
    var at = links.indexOf(document.activeElement);
    if (document.activeElement === input && e.key === "ArrowDown" && links.length) {
      links[0].focus(); e.preventDefault();
    } else if (at >= 0) {
      var to = e.key === "ArrowDown" ? at + 1 : at - 1;
      (to < 0 ? input : links[Math.min(to, links.length - 1)]).focus();
      e.preventDefault();
    }
  });

  get("meta.json").then(function (m) {
    meta = m;
    fillFilters();
    fromUrl();
    if (input.value) search(input.value);
  }).catch(function () { status.textContent = label("error", "", 0); });
})();
