// The review page's browser side: keyboard shortcuts, progressive loading of file diffs as they come near the
// viewport, and syntax highlighting. Blazor owns every element it renders, so this script never changes them:
// keys and visibility are reported to .NET (which re-renders), and highlighting uses the CSS Custom Highlight API
// (CSS.highlights + ::highlight()), which styles text ranges without touching the DOM (docs/decisions/0017).
import { highlight as highlightText, languageForPath } from './highlighting.js';

const HIGHLIGHT_PREFIX = 'hl-';
const supportsHighlights = typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight === 'function';
const highlightsByScope = new Map();
const rangesByArticle = new WeakMap();

let state = null;

function isTyping(target) {
    if (!(target instanceof Element)) {
        return false;
    }

    const editable = target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="textbox"], [role="combobox"]');
    return editable !== null;
}

function articles(root) {
    return Array.from(root.querySelectorAll('article[data-file-index]'));
}

function fileIndexOf(element) {
    const article = element.closest('article[data-file-index]');
    return article ? Number(article.dataset.fileIndex) : -1;
}

function currentFileIndex(root) {
    const current = root.querySelector('article[data-file-index][data-current="true"]');
    return current ? Number(current.dataset.fileIndex) : -1;
}

function moveHunk(direction) {
    const root = state.root;
    const hunks = Array.from(root.querySelectorAll('[data-hunk-start]'));
    const current = state.currentHunk && state.currentHunk.isConnected ? state.currentHunk : null;
    let target = null;
    if (current) {
        const position = hunks.indexOf(current);
        target = hunks[position + direction] ?? null;
    } else {
        const file = Math.max(0, currentFileIndex(root));
        target = direction > 0
            ? hunks.find(h => fileIndexOf(h) >= file) ?? null
            : hunks.filter(h => fileIndexOf(h) <= file).pop() ?? null;
    }

    if (target === null) {
        // No further hunk is rendered: go on to the next (or previous) file, which .NET loads if needed.
        state.currentHunk = null;
        state.dotNet.invokeMethodAsync('MoveFile', direction);
        return;
    }

    state.currentHunk = target;
    target.scrollIntoView({ block: 'center' });
    target.focus({ preventScroll: true });
    const file = fileIndexOf(target);
    if (file !== currentFileIndex(root)) {
        state.dotNet.invokeMethodAsync('SetCurrentFile', file);
    }
}

function onKeyDown(event) {
    if (state === null || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) {
        return;
    }

    // A shortcut under an open dialog (the keyboard help, the approval confirmation) would act behind it.
    const openDialog = document.querySelector('dialog[open], .mud-dialog-container');
    if (openDialog) {
        return;
    }

    switch (event.key) {
        case 'j':
        case 'k':
            state.currentHunk = null;
            state.dotNet.invokeMethodAsync('MoveFile', event.key === 'j' ? 1 : -1);
            break;
        case 'n':
        case 'p':
            moveHunk(event.key === 'n' ? 1 : -1);
            break;
        case 'v':
            state.dotNet.invokeMethodAsync('ToggleViewedOnCurrentFile');
            break;
        case 'a': {
            const approve = document.querySelector('[data-testid=approve-button]');
            if (!approve || approve.disabled) {
                return;
            }

            approve.scrollIntoView({ block: 'center' });
            approve.click();
            break;
        }
        case 'r': {
            const reason = document.getElementById('decision-reason');
            if (!reason) {
                return;
            }

            (reason.closest('section') ?? reason).scrollIntoView({ block: 'center' });
            reason.focus({ preventScroll: true });
            break;
        }
        case '?':
            openHelp();
            break;
        default:
            return;
    }

    event.preventDefault();
}

function openHelp() {
    const dialog = document.getElementById('review-keyboard-help');
    if (dialog && !dialog.open) {
        dialog.showModal();
    }
}

function closeHelp() {
    const dialog = document.getElementById('review-keyboard-help');
    if (dialog && dialog.open) {
        dialog.close();
    }
}

function onIntersect(entries) {
    for (const entry of entries) {
        if (!entry.isIntersecting) {
            continue;
        }

        const article = entry.target;
        const index = Number(article.dataset.fileIndex);
        if (article.dataset.loadState === 'waiting' && !state.requested.has(index)) {
            state.requested.add(index);
            state.dotNet.invokeMethodAsync('LoadFile', index).catch(() => state && state.requested.delete(index));
        }
    }
}

function observeArticles() {
    for (const article of articles(state.root)) {
        state.intersections.observe(article);
        if (article.dataset.loadState !== 'waiting') {
            state.requested.delete(Number(article.dataset.fileIndex));
        }
    }
}

function scheduleHighlight(article) {
    state.dirty.add(article);
    if (state.highlightTimer === 0) {
        state.highlightTimer = setTimeout(flushHighlights, 0);
    }
}

function flushHighlights() {
    if (state === null) {
        return;
    }

    state.highlightTimer = 0;
    const dirty = Array.from(state.dirty);
    state.dirty.clear();
    for (const article of dirty) {
        if (article.isConnected) {
            highlightArticle(article);
        } else {
            clearArticle(article);
        }
    }
}

function onMutations(mutations) {
    // Blazor attaches an element before its children, so every change inside a file has a target in its article:
    // one closest() per record finds the files to highlight again, without searching added subtrees.
    let structural = false;
    let lastTarget = null;
    for (const mutation of mutations) {
        structural ||= mutation.type === 'attributes' || mutation.addedNodes.length > 0;
        if (mutation.target === lastTarget) {
            continue;
        }

        lastTarget = mutation.target;
        const node = mutation.target.nodeType === Node.ELEMENT_NODE ? mutation.target : mutation.target.parentElement;
        const article = node?.closest('article[data-file-index]');
        if (article) {
            scheduleHighlight(article);
        }
    }

    if (structural) {
        observeArticles();
    }
}

function highlightFor(scope) {
    let highlight = highlightsByScope.get(scope);
    if (!highlight) {
        highlight = new Highlight();
        highlightsByScope.set(scope, highlight);
        CSS.highlights.set(HIGHLIGHT_PREFIX + scope, highlight);
    }

    return highlight;
}

function clearArticle(article) {
    const previous = rangesByArticle.get(article);
    if (previous) {
        for (const { scope, range } of previous) {
            highlightsByScope.get(scope)?.delete(range);
        }

        rangesByArticle.delete(article);
    }
}

/** The text nodes of a cell with their offsets, so a token's character range becomes a DOM Range. */
function textNodes(cell) {
    const nodes = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let offset = 0;
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        nodes.push({ node, start: offset, end: offset + node.data.length });
        offset += node.data.length;
    }

    return nodes;
}

function rangeIn(nodes, start, end) {
    const first = nodes.find(n => start >= n.start && start < n.end);
    const last = nodes.find(n => end > n.start && end <= n.end);
    if (!first || !last) {
        return null;
    }

    const range = new Range();
    range.setStart(first.node, start - first.start);
    range.setEnd(last.node, end - last.start);
    return range;
}

function highlightStream(cells, language, ranges) {
    if (cells.length === 0) {
        return;
    }

    // Lines of one side in order, so multi-line strings and comments are read as the file has them.
    const texts = cells.map(c => c.textContent);
    const starts = [];
    let offset = 0;
    for (const text of texts) {
        starts.push(offset);
        offset += text.length + 1;
    }

    const tokens = highlightText(texts.join('\n'), language);
    // Each cell's text nodes, walked once when a token first lands in it (nothing changes the DOM during the pass).
    const nodes = [];
    let cellIndex = 0;
    for (const token of tokens) {
        let start = token.start;
        while (start < token.end) {
            while (cellIndex + 1 < starts.length && starts[cellIndex + 1] <= start) {
                cellIndex++;
            }

            const cellStart = starts[cellIndex];
            const cellEnd = cellStart + texts[cellIndex].length;
            const end = Math.min(token.end, cellEnd);
            if (end > start) {
                const range = rangeIn(nodes[cellIndex] ??= textNodes(cells[cellIndex]), start - cellStart, end - cellStart);
                if (range) {
                    highlightFor(token.scope).add(range);
                    ranges.push({ scope: token.scope, range });
                }
            }

            if (cellIndex + 1 >= starts.length) {
                break;
            }

            start = Math.max(end, starts[cellIndex + 1]);
        }
    }
}

function highlightArticle(article) {
    clearArticle(article);
    if (article.dataset.loadState !== 'loaded') {
        return;
    }

    const language = languageForPath(article.dataset.path ?? '');
    if (!supportsHighlights || language === null) {
        return;
    }

    const ranges = [];

    // Side by side: each side is its own stream. Unified: deleted lines form the old stream; context and
    // inserted lines the new one. A cut line (data-cut: minified code, generated data) stays plain text: highlighting
    // a megabyte-long line would hold the page for minutes.
    const oldCells = Array.from(article.querySelectorAll('td.code[data-line][data-side="old"]:not([data-cut])'));
    const newCells = Array.from(article.querySelectorAll('td.code[data-line][data-side="new"]:not([data-cut]), td.code[data-line][data-side="both"]:not([data-cut])'));
    highlightStream(oldCells, language, ranges);
    highlightStream(newCells, language, ranges);
    rangesByArticle.set(article, ranges);
    state.highlighted.add(article);
}

/** Asks .NET for the next files' placeholders whenever the browser is idle, until there are no more. */
export function renderMoreWhenIdle() {
    const idle = window.requestIdleCallback ?? (callback => setTimeout(callback, 50));
    const pull = () => {
        if (state === null) {
            return;
        }

        state.dotNet.invokeMethodAsync('RenderMoreFiles')
            .then(more => more && state !== null && idle(pull, { timeout: 1000 }))
            .catch(() => {});
    };
    idle(pull, { timeout: 1000 });
}

export function attach(dotNet, root) {
    detach();
    state = {
        dotNet,
        root,
        requested: new Set(),
        dirty: new Set(),
        highlighted: new Set(),
        highlightTimer: 0,
        currentHunk: null,
        intersections: new IntersectionObserver(onIntersect, { rootMargin: '1200px 0px 1200px 0px' }),
        mutations: new MutationObserver(onMutations),
    };
    document.addEventListener('keydown', onKeyDown);
    state.mutations.observe(root, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-load-state'] });
    observeArticles();
    for (const article of articles(root)) {
        scheduleHighlight(article);
    }

    renderMoreWhenIdle();
}

/** Detaches the script; given a root, only if the script is still attached to it (a newer list may have taken over). */
export function detach(root) {
    if (state === null || (root !== undefined && state.root !== root)) {
        return;
    }

    document.removeEventListener('keydown', onKeyDown);
    state.intersections.disconnect();
    state.mutations.disconnect();
    clearTimeout(state.highlightTimer);
    for (const article of state.highlighted) {
        clearArticle(article);
    }

    state = null;
}

/** Brings a file into view after .NET made it current; its heading takes focus so screen readers follow. */
export function scrollToFile(index) {
    const article = state?.root.querySelector(`article[data-file-index="${index}"]`);
    if (!article) {
        return;
    }

    article.scrollIntoView({ block: 'start' });
    article.querySelector('[data-file-heading]')?.focus({ preventScroll: true });
}

/** For tests and diagnostics: how many token ranges each highlight holds, the texts of some, and the files highlighted. */
export function highlightSummary() {
    const summary = {};
    for (const [scope, highlight] of highlightsByScope) {
        const texts = [];
        for (const range of highlight) {
            if (texts.length >= 50) {
                break;
            }

            texts.push(range.toString());
        }

        summary[scope] = { count: highlight.size, texts };
    }

    const files = state === null ? [] : Array.from(state.highlighted).filter(a => a.isConnected).map(a => Number(a.dataset.fileIndex));
    return { supported: supportsHighlights, scopes: summary, files };
}

window.ReviewPortal = { attach, detach, scrollToFile, openHelp, closeHelp, highlightSummary, renderMoreWhenIdle };
