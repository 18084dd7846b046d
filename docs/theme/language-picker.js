// The language picker (issue 10, item 3): a link in the menu bar to the
// same page in the other edition of the book.
//
// The Korean book is the site's root (docs/book/), the English book sits
// in en/ under it (docs/book/en/, built with `-d docs/book/en`), and both
// have the same pages at the same paths: day3/zombie.html in one is
// en/day3/zombie.html in the other. The link is relative, made from
// mdBook's `path_to_root`, so it works on a server and from file:// alike.
// Each label is written in its own language, marked with lang="..." (an
// English page says "한국어" to Korean readers: a deliberate quotation,
// which docs/tools/hangul-check allows).
'use strict';

/* global path_to_root */
(function languagePicker() {
    const buttons = document.querySelector('#mdbook-menu-bar .right-buttons');
    if (!buttons || typeof path_to_root !== 'string') {
        return;
    }
    const english = document.documentElement.lang === 'en';
    let href;
    if (path_to_root.startsWith('/')) {
        // An absolute root (the 404 page): go to the other edition's start.
        href = english ? path_to_root : path_to_root + 'en/';
    } else {
        // This page's path inside its book: the last (depth + 1) parts of
        // the address, depth being the number of "../" in path_to_root.
        const depth = (path_to_root.match(/\.\.\//g) || []).length;
        const parts = window.location.pathname.split('/');
        let page = parts.slice(-(depth + 1)).join('/');
        if (page === '' || page.endsWith('/')) {
            page += 'index.html';
        }
        href = path_to_root + (english ? '../' : 'en/') + page;
    }

    const link = document.createElement('a');
    link.id = 'language-picker';
    link.href = href;
    link.hreflang = english ? 'ko' : 'en';
    link.lang = english ? 'ko' : 'en';
    link.title = english ? '이 페이지를 한국어로 보기' : 'Read this page in English';
    link.setAttribute('aria-label', link.title);
    // A globe, drawn in the icons' color, and the other language's name.
    link.innerHTML = '<span class="fa-svg">'
        + '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"'
        + ' fill="none" stroke="currentColor" stroke-width="2">'
        + '<circle cx="12" cy="12" r="10"/>'
        + '<ellipse cx="12" cy="12" rx="4" ry="10"/>'
        + '<path d="M2 12h20M4 6.5h16M4 17.5h16"/></svg></span>'
        + '<span class="language-picker-label"></span>';
    link.querySelector('.language-picker-label').textContent =
        english ? '한국어' : 'English';
    buttons.insertBefore(link, buttons.firstChild);
})();
