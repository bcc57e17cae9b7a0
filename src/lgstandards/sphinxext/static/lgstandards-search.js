/*
 * lgstandards search, in the browser: the query rules of lgstandards.vocab.search
 * (SearchIndex in search.py), step by step, over the same index file
 * (vocabularies/<list>/built/<list>.search.json). Every score is an integer until
 * search() divides it by params.point, so this ranks exactly as the Python does;
 * tests/docs/test_search_js.py runs both on the same queries and compares.
 *
 * new LGSSearch(indexData).search(text, limit) -> [{code, score}], best first.
 */
(function (root) {
  "use strict";

  function normalise(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/['\u2019]/g, "");
  }

  function words(text) {
    return normalise(text).match(/[a-z0-9]+/g) || [];
  }

  function osaDistance(a, b) {
    var rows = [];
    var first = [];
    for (var j = 0; j <= b.length; j++) { first.push(j); }
    rows.push(first);
    for (var i = 1; i <= a.length; i++) {
      var row = [i];
      for (var k = 1; k <= b.length; k++) {
        var cost = a[i - 1] === b[k - 1] ? 0 : 1;
        var best = Math.min(rows[i - 1][k] + 1, row[k - 1] + 1, rows[i - 1][k - 1] + cost);
        if (i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) {
          best = Math.min(best, rows[i - 2][k - 2] + 1);
        }
        row.push(best);
      }
      rows.push(row);
    }
    return rows[a.length][b.length];
  }

  function has(map, key) {
    return Object.prototype.hasOwnProperty.call(map, key);
  }

  function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function LGSSearch(data) {
    if (data.format !== "lgstandards-search/1") {
      throw new Error("not a search index of format lgstandards-search/1");
    }
    this.data = data;
    this.listName = data.list;
    this.codes = data.codes;
    this.prior = data.prior;
    this.postings = data.postings;
    this.words = data.words;
    this.word = Object.create(null);
    for (var i = 0; i < data.words.length; i++) { this.word[data.words[i]] = data.word_terms[i]; }
    this.stop = new Set(data.stop);
    this.weak = new Set(data.weak);
    this.spellings = data.spellings;
    this.suffixes = data.suffixes;
    this.spellingRules = data.spelling_rules;
    this.expansions = data.expansions;
    this.params = data.params;
    this.fields = data.fields;
    this.longest = 1;
    for (var key in this.expansions) {
      if (has(this.expansions, key)) {
        this.longest = Math.max(this.longest, key.split(" ").length);
      }
    }
    this.position = new Map();
    for (var d = 0; d < this.codes.length; d++) { this.position.set(this.codes[d], d); }
    this.labelSets = null;
    this.deletes = null;
    this.byLabelText = null;
  }

  LGSSearch.prototype.known = function (word) {
    return this.word[word] !== undefined;
  };

  LGSSearch.prototype.df = function (term) {
    return this.postings[term].length / 3;
  };

  LGSSearch.prototype.prefixed = function (word) {
    var lo = 0, hi = this.words.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (this.words[mid] < word) { lo = mid + 1; } else { hi = mid; }
    }
    var found = [];
    for (var k = lo; k < this.words.length && this.words[k].indexOf(word) === 0; k++) {
      var t = this.word[this.words[k]];
      if (found.indexOf(t) < 0 && this.df(t) > 0) { found.push(t); }
    }
    var self = this;
    found.sort(function (a, b) { return (self.df(b) - self.df(a)) || (a - b); });
    return found.slice(0, this.params.prefix_max);
  };

  LGSSearch.prototype.typos = function (word) {
    var p = this.params;
    if (this.deletes === null) {
      var deletes = new Map();
      for (var w = 0; w < this.words.length; w++) {
        var known = this.words[w];
        if (known.length >= p.typo_min - 1) {
          for (var i = 0; i < known.length; i++) {
            var shorter = known.slice(0, i) + known.slice(i + 1);
            if (!deletes.has(shorter)) { deletes.set(shorter, []); }
            deletes.get(shorter).push(known);
          }
        }
      }
      this.deletes = deletes;
    }
    var limit = word.length < p.typo2_min ? 1 : 2;
    var candidates = new Set(this.deletes.get(word) || []);
    for (var j = 0; j < word.length; j++) {
      var cut = word.slice(0, j) + word.slice(j + 1);
      if (this.known(cut)) { candidates.add(cut); }
      (this.deletes.get(cut) || []).forEach(function (c) { candidates.add(c); });
    }
    var self = this;
    var scored = [];
    candidates.forEach(function (c) {
      var distance = osaDistance(word, c);
      if (distance > 0 && distance <= limit) {
        scored.push([distance, -self.df(self.word[c]), c]);
      }
    });
    scored.sort(function (a, b) { return (a[0] - b[0]) || (a[1] - b[1]) || cmp(a[2], b[2]); });
    var found = [];
    var seen = new Set();
    scored.forEach(function (s) {
      var t = self.word[s[2]];
      if (!seen.has(t)) { seen.add(t); found.push([s[0], s[2]]); }
    });
    return found.slice(0, p.typo_max);
  };

  function alt(terms, weight, how) {
    return { terms: terms, weight: weight, how: how };
  }

  LGSSearch.prototype.resolve = function (word) {
    var p = this.params;
    var i, suffix, replacement;
    if (this.known(word)) { return [alt([this.word[word]], 100, "word")]; }
    var british = has(this.spellings, word) ? this.spellings[word] : null;
    if (british !== null && this.known(british)) {
      return [alt([this.word[british]], 100, "spelling:" + british)];
    }
    for (i = 0; i < this.spellingRules.length; i++) {
      suffix = this.spellingRules[i][0];
      replacement = this.spellingRules[i][1];
      if (word.endsWith(suffix) && word.length > suffix.length + 1) {
        var candidate = word.slice(0, word.length - suffix.length) + replacement;
        if (this.known(candidate)) {
          return [alt([this.word[candidate]], 100, "spelling:" + candidate)];
        }
      }
    }
    var found = [];
    for (i = 0; i < this.suffixes.length; i++) {
      suffix = this.suffixes[i][0];
      replacement = this.suffixes[i][1];
      if (word.endsWith(suffix) && word.length - suffix.length + replacement.length >= 3) {
        var stem = word.slice(0, word.length - suffix.length) + replacement;
        if (!this.known(stem) && replacement === "" && stem.length >= 4 &&
            stem[stem.length - 1] === stem[stem.length - 2] &&
            this.known(stem.slice(0, -1))) {
          stem = stem.slice(0, -1);
        }
        if (this.known(stem)) {
          found.push(alt([this.word[stem]], p.inflection, "form:" + stem));
          break;
        }
      }
    }
    if (word.length >= p.split_min) {
      for (var k = 3; k < word.length - 2; k++) {
        var head = word.slice(0, k), tail = word.slice(k);
        if (this.known(head) && this.known(tail) && !this.stop.has(head) &&
            !this.stop.has(tail)) {
          found.push(alt([this.word[head], this.word[tail]], p.split, "split:" + head + " " + tail));
          break;
        }
      }
    }
    if (found.length) { return found; }
    if (word.length >= p.prefix_min) {
      var completions = this.prefixed(word);
      if (completions.length) {
        return completions.map(function (t) { return alt([t], p.prefix, "prefix"); });
      }
    }
    if (word.length >= p.typo_min) {
      var self = this;
      return this.typos(word).map(function (dk) {
        return alt([self.word[dk[1]]], dk[0] === 1 ? p.typo1 : p.typo2, "typo");
      });
    }
    return [];
  };

  LGSSearch.prototype.units = function (text) {
    var tokens = words(text);
    var self = this;
    var kept = tokens.filter(function (t) { return !self.stop.has(t); });
    if (!kept.length) { kept = tokens; }
    var units = [];
    var i = 0;
    while (i < kept.length) {
      var word = kept[i];
      if (i + 1 < kept.length) {
        var joined = word + kept[i + 1];
        if (this.known(joined) && !this.stop.has(joined)) {
          var alternatives = [alt([this.word[joined]], 100, "joined")];
          if (this.known(word) && this.known(kept[i + 1])) {
            alternatives.push(alt([this.word[word], this.word[kept[i + 1]]], 100, "word"));
          }
          var weak = this.weak.has(word) && this.weak.has(kept[i + 1]);
          units.push({ words: [word, kept[i + 1]], alternatives: alternatives, weak: weak });
          i += 2;
          continue;
        }
      }
      units.push({
        words: [word], alternatives: this.resolve(word), weak: this.weak.has(word)
      });
      i += 1;
    }
    return this.expand(units);
  };

  LGSSearch.prototype.expand = function (units) {
    var out = [];
    var i = 0;
    while (i < units.length) {
      var merged = null;
      for (var length = Math.min(this.longest, units.length - i); length > 0; length--) {
        var run = units.slice(i, i + length);
        if (run.some(function (u) { return !u.alternatives.length; })) { continue; }
        var terms = [];
        run.forEach(function (u) { terms.push.apply(terms, u.alternatives[0].terms); });
        var key = terms.join(" ");
        if (!has(this.expansions, key)) { continue; }
        var alternatives = length === 1 ? run[0].alternatives.slice() : [alt(terms, 100, "word")];
        this.expansions[key].forEach(function (target) {
          alternatives.push(alt(target[0], target[1], "residents:" + target[2]));
        });
        var said = [];
        run.forEach(function (u) { said.push.apply(said, u.words); });
        merged = {
          words: said, alternatives: alternatives,
          weak: run.every(function (u) { return u.weak; })
        };
        i += length;
        break;
      }
      if (merged === null) {
        merged = units[i];
        i += 1;
      }
      out.push(merged);
    }
    return out;
  };

  LGSSearch.prototype.labelTextDocs = function (text) {
    if (this.byLabelText === null) {
      var found = new Map();
      (this.data.label_texts || []).forEach(function (label, doc) {
        if (!found.has(label)) { found.set(label, []); }
        found.get(label).push(doc);
      });
      this.byLabelText = found;
    }
    return text ? (this.byLabelText.get(text) || []) : [];
  };

  LGSSearch.prototype.rank = function (text, limit) {
    var p = this.params;
    var labelBit = 1 << this.fields.indexOf("label");
    var units = this.units(text);
    var strong = units.filter(function (u) { return !u.weak; });
    var allStrong = strong.length === 0;
    var n = allStrong ? units.length : strong.length;
    var total = new Map(), matched = new Map(), fitted = new Map(), fittedAll = new Map();
    var lowest = new Map(), used = new Map();
    var postings = this.postings;
    units.forEach(function (unit) {
      var counts = allStrong || !unit.weak;
      var best = new Map();
      var fits = new Map();
      unit.alternatives.forEach(function (alternative) {
        var sums = new Map(), inLabel = new Map();
        var distinct = new Set(alternative.terms);
        var seen = new Set();
        alternative.terms.forEach(function (t) {
          var flat = postings[t];
          var check = !seen.has(t);
          seen.add(t);
          for (var k = 0; k < flat.length; k += 3) {
            var doc = flat[k];
            sums.set(doc, (sums.get(doc) || 0) + flat[k + 1]);
            if (check && (flat[k + 2] & labelBit)) { inLabel.set(doc, (inLabel.get(doc) || 0) + 1); }
          }
        });
        sums.forEach(function (value, doc) {
          var scored = alternative.weight * value;
          if (scored > (best.get(doc) || 0)) { best.set(doc, scored); }
        });
        if (distinct.size) {
          inLabel.forEach(function (found, doc) {
            if (found === distinct.size && !fits.has(doc)) { fits.set(doc, alternative); }
          });
        }
      });
      var weight = counts ? 100 : p.weak;
      best.forEach(function (value, doc) {
        total.set(doc, (total.get(doc) || 0) + weight * value);
        if (counts) { matched.set(doc, (matched.get(doc) || 0) + 1); }
      });
      fits.forEach(function (alternative, doc) {
        fittedAll.set(doc, (fittedAll.get(doc) || 0) + 1);
        if (!used.has(doc)) { used.set(doc, new Set()); }
        alternative.terms.forEach(function (t) { used.get(doc).add(t); });
        if (counts) {
          fitted.set(doc, (fitted.get(doc) || 0) + 1);
          lowest.set(doc, Math.min(lowest.has(doc) ? lowest.get(doc) : 100, alternative.weight));
        }
      });
    });
    var counted = allStrong ? units.length : strong.length;
    if (fitted.size && this.labelSets === null) {
      this.labelSets = this.data.labels.map(function (terms) { return new Set(terms); });
    }
    var labels = this.labelSets;
    var unitPoint = Math.floor(p.point / 10000);
    var priorPoint = Math.floor(p.point / 100);
    var scores = new Map();
    var prior = this.prior;
    total.forEach(function (value, doc) {
      var score = n ? Math.floor(value * (matched.get(doc) || 0) / n) : value;
      if (counted && (fitted.get(doc) || 0) === counted) {
        var mine = used.get(doc), label = labels[doc];
        var exact = fittedAll.get(doc) === units.length && mine.size === label.size &&
          Array.from(mine).every(function (t) { return label.has(t); });
        var bonus = p.label_all + (exact ? p.label_exact : 0);
        score += bonus * lowest.get(doc) * unitPoint;
      }
      scores.set(doc, score + prior[doc] * priorPoint);
    });
    var tokens = words(text);
    this.labelTextDocs(tokens.join(" ")).forEach(function (doc) {
      scores.set(doc, (scores.get(doc) || 0) + p.label_text * priorPoint);
    });
    var self = this;
    var codesOnly = tokens.every(function (t) { return /^[0-9]+$/.test(t) || t === self.listName; });
    if (codesOnly) {
      tokens.forEach(function (token, position) {
        if (!/^[0-9]+$/.test(token) || token.length > 9) { return; }
        var code = parseInt(token, 10);
        var at = self.position.get(code);
        if (at !== undefined && String(code) === token) {
          scores.set(at, (scores.get(at) || 0) + p.code_exact * priorPoint);
        }
        if (position === tokens.length - 1) {
          self.codes.forEach(function (known, doc) {
            var shown = String(known);
            if (shown.indexOf(token) === 0 && shown !== token) {
              scores.set(doc, (scores.get(doc) || 0) + p.code_prefix * priorPoint);
            }
          });
        }
      });
    }
    var codes = this.codes;
    var ranked = Array.from(scores.entries());
    ranked.sort(function (a, b) { return (b[1] - a[1]) || (codes[a[0]] - codes[b[0]]); });
    return limit === undefined || limit === null ? ranked : ranked.slice(0, limit);
  };

  LGSSearch.prototype.search = function (text, limit) {
    var point = this.params.point;
    var codes = this.codes;
    return this.rank(text, limit).map(function (item) {
      return { code: codes[item[0]], points: item[1], score: item[1] / point };
    });
  };

  LGSSearch.words = words;
  root.LGSSearch = LGSSearch;
  if (typeof module !== "undefined" && module.exports) { module.exports = LGSSearch; }
})(typeof window !== "undefined" ? window : globalThis);
