// Search that finds Korean words (issue 10, item 1).
//
// Why: mdBook's search (elasticlunr) splits the text on whitespace and
// punctuation and runs an English stemmer, so its index holds whole Korean
// words with their particles attached: "좀비가", "좀비로", "소켓을". A
// Korean reader types the stem ("좀비", "소켓"), which is no word of the
// index, so mdBook answers "No search results" (rust-lang/mdBook issues
// 1081 and 2052).
//
// How: this file changes no part of mdBook; it takes over one call. mdBook's
// searcher.js loads the index (searchindex-*.js, a <script>, so it works on
// file:// too) and calls `index.search(query, options)`. The index keeps
// every section's text (its documentStore: title, body, breadcrumbs), so
// when the query contains Hangul we answer that call ourselves: a section
// matches when it contains every word of the query as a substring
// ("좀비" finds "좀비 프로세스", "좀비가"; "반이중" finds "반이중 종료"),
// scored by how often the words occur, the title weighing as mdBook's
// options say. The results have elasticlunr's shape ({ref, score, doc}), so
// searcher.js lists them, with its teaser and highlighting, as usual. A
// query without Hangul goes to elasticlunr unchanged: English search is
// mdBook's own.
//
// The teaser: searcher.js marks a word of the text when its stem starts
// with the stem of a query word (elasticlunr.stemmer). While a Korean query
// is shown, our stemmer returns a word from the first query word inside it,
// so a word that contains a query word in its middle ("연결요청") is marked
// too.
//
// Order: book.toml lists this file in additional-js, which mdBook places
// after searcher.js. When the page opens with ?search=, searcher.js starts
// loading the index at once and searches as soon as it has loaded, which
// can be before this file runs (the browser test saw it one time in three).
// theme/head.hbs therefore holds the index's load event until this file has
// patched the index; the last lines below release it.
'use strict';

(function hangulSearch() {
    const lunr = window.elasticlunr;
    if (lunr && lunr.Index) {
        install(lunr); // below
    }
    // Ready: let searcher.js see the index if it arrived before us.
    window.hangulSearchReady = true;
    const held = window.hangulSearchHeld;
    if (held && typeof held.onload === 'function') {
        window.hangulSearchHeld = null;
        held.onload();
    }

    function install(lunr) {
        const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;
        const originalSearch = lunr.Index.prototype.search;
        const originalStemmer = lunr.stemmer;
        const normalized = new WeakMap(); // doc -> its fields, normalized
        let koreanTerms = []; // the words of the Korean query being shown

        function normalize(text) {
            return String(text || '').normalize('NFC').toLowerCase();
        }

        function count(haystack, needle) {
            let n = 0;
            for (let at = haystack.indexOf(needle); at !== -1;
                at = haystack.indexOf(needle, at + needle.length)) {
                n++;
            }
            return n;
        }

        function substringSearch(index, terms, options) {
            const fields = (options && options.fields) || {
                title: {boost: 2}, body: {boost: 1}, breadcrumbs: {boost: 1},
            };
            const docs = index.documentStore.docs;
            const results = [];
            for (const ref of Object.keys(docs)) {
                const doc = docs[ref];
                if (!normalized.has(doc)) {
                    const text = {};
                    for (const field of Object.keys(fields)) {
                        text[field] = normalize(doc[field]);
                    }
                    normalized.set(doc, text);
                }
                const text = normalized.get(doc);
                let score = 0;
                let all = true;
                for (const term of terms) {
                    let found = 0;
                    for (const field of Object.keys(fields)) {
                        const n = count(text[field] || '', term);
                        found += n;
                        score += n * (fields[field].boost ?? 1);
                    }
                    if (found === 0) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    results.push({ref: ref, score: score, doc: doc});
                }
            }
            // Best first; equal scores keep the book's order.
            results.sort((a, b) => b.score - a.score || a.ref - b.ref);
            return results;
        }

        lunr.Index.prototype.search = function(query, options) {
            if (!HANGUL.test(query)) {
                koreanTerms = [];
                return originalSearch.call(this, query, options);
            }
            koreanTerms = normalize(query).split(/\s+/).filter(t => t !== '');
            return substringSearch(this, koreanTerms, options);
        };

        lunr.stemmer = function(word) {
            for (const term of koreanTerms) {
                const at = word.indexOf(term);
                if (at !== -1) {
                    return word.slice(at);
                }
            }
            return originalStemmer(word);
        };
    }
})();
