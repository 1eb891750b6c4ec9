// Syntax highlighting with highlight.js (core plus the languages reviewers meet most), turned into flat,
// non-overlapping token ranges: the page styles them with ::highlight(), never by rewriting Blazor's markup.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import powershell from 'highlight.js/lib/languages/powershell';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import scss from 'highlight.js/lib/languages/scss';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const languages = { bash, c, cpp, csharp, css, dockerfile, go, ini, java, javascript, json, kotlin, markdown, php, powershell, python, ruby, rust, scss, sql, swift, typescript, xml, yaml };
for (const [name, definition] of Object.entries(languages)) {
    hljs.registerLanguage(name, definition);
}

const byExtension = {
    cs: 'csharp', csx: 'csharp', cshtml: 'xml', razor: 'xml',
    js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
    ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript',
    py: 'python', pyi: 'python',
    java: 'java', kt: 'kotlin', kts: 'kotlin', go: 'go', rs: 'rust', rb: 'ruby', php: 'php', swift: 'swift',
    c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp',
    sql: 'sql', psql: 'sql',
    yml: 'yaml', yaml: 'yaml', json: 'json', jsonc: 'json',
    sh: 'bash', bash: 'bash', zsh: 'bash', ps1: 'powershell', psm1: 'powershell',
    md: 'markdown', markdown: 'markdown',
    xml: 'xml', csproj: 'xml', props: 'xml', targets: 'xml', sln: 'ini', html: 'xml', htm: 'xml', svg: 'xml',
    css: 'css', scss: 'scss', ini: 'ini', toml: 'ini', cfg: 'ini', editorconfig: 'ini',
};

const byName = { dockerfile: 'dockerfile', makefile: 'bash', '.editorconfig': 'ini', '.gitignore': 'bash' };

/** The highlight.js language for a file path, or null when it is not one we highlight. */
export function languageForPath(path) {
    const name = path.split('/').pop().toLowerCase();
    if (byName[name]) {
        return byName[name];
    }

    const dot = name.lastIndexOf('.');
    return dot >= 0 ? byExtension[name.slice(dot + 1)] ?? null : null;
}

// highlight.js scopes folded into the few styles the page defines (wwwroot-assets/css/review.css).
const scopeStyle = {
    keyword: 'keyword', 'meta keyword': 'keyword', built_in: 'type', type: 'type', 'title class_': 'type',
    'title class_ inherited__': 'type', 'title function_': 'function', title: 'function', function: 'function',
    string: 'string', regexp: 'string', 'meta string': 'string', char: 'string', 'template-tag': 'string',
    number: 'number', literal: 'literal', symbol: 'literal', bullet: 'literal',
    comment: 'comment', doctag: 'comment', quote: 'comment', meta: 'meta',
    attr: 'attr', attribute: 'attr', property: 'attr', variable: 'attr', 'variable language_': 'keyword', params: 'attr',
    tag: 'tag', name: 'tag', 'selector-tag': 'tag', 'selector-class': 'attr', 'selector-id': 'attr',
    section: 'section', strong: 'section', emphasis: 'section', link: 'string', code: 'string',
    addition: 'string', deletion: 'keyword', subst: 'attr',
};

function styleOf(className) {
    const scope = className.split(' ').map(c => c.replace(/^hljs-/, '')).join(' ');
    return scopeStyle[scope] ?? scopeStyle[scope.split(' ')[0]] ?? null;
}

/** Tokens of text as { start, end, scope }: flat, in order, the innermost highlight.js scope winning. */
export function highlight(text, language) {
    let html;
    try {
        html = hljs.highlight(text, { language, ignoreIllegals: true }).value;
    } catch {
        return [];
    }

    // Parsed in an inert template: nothing of it is inserted into the page or run.
    const template = document.createElement('template');
    template.innerHTML = html;
    const tokens = [];
    let offset = 0;
    const walk = (node, style) => {
        for (const child of node.childNodes) {
            if (child.nodeType === Node.TEXT_NODE) {
                const length = child.data.length;
                if (style !== null && length > 0) {
                    const last = tokens[tokens.length - 1];
                    if (last && last.scope === style && last.end === offset) {
                        last.end += length;
                    } else {
                        tokens.push({ start: offset, end: offset + length, scope: style });
                    }
                }

                offset += length;
            } else if (child.nodeType === Node.ELEMENT_NODE) {
                walk(child, styleOf(child.className) ?? style);
            }
        }
    };
    walk(template.content, null);
    return tokens;
}
