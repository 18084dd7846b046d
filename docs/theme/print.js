// Printing the book (and so its PDFs, docs/tools/book-pdf) opens every
// collapsed <details>, such as the speaker notes (강사 노트): paper cannot
// be clicked open. The ones opened here close again after printing.
'use strict';

(function printDetails() {
    let opened = [];
    window.addEventListener('beforeprint', () => {
        opened = Array.from(document.querySelectorAll('details:not([open])'));
        for (const details of opened) {
            details.open = true;
        }
    });
    window.addEventListener('afterprint', () => {
        for (const details of opened) {
            details.open = false;
        }
        opened = [];
    });
})();
