import { Injectable } from '@nestjs/common';
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/** Links open elsewhere, pass no referrer or opener, and carry no endorsement (members write them). */
const LINK_REL = 'nofollow noopener noreferrer ugc';
const ABSOLUTE_LINK = /^(https?:\/\/|mailto:)/i;

/**
 * The allowlist. Anything else is dropped: scripts, styles, frames, forms, SVG, event handlers,
 * every attribute but a link's, and any URL scheme but http, https and mailto.
 */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'strong',
    'em',
    'del',
    's',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'rel', 'target'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // Dropped with their content: what is inside a script or style is never text to show.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'svg', 'math'],
  disallowedTagsMode: 'discard',
  transformTags: {
    // Absolute links only: a relative one would point into this site under a member's words. A
    // link without an allowed target becomes its text (a <span>, which the allowlist drops).
    a: (tagName, attribs): sanitizeHtml.Tag =>
      ABSOLUTE_LINK.test(attribs.href ?? '')
        ? { tagName, attribs: { href: attribs.href, rel: LINK_REL, target: '_blank' } }
        : { tagName: 'span', attribs: {} },
  },
};

/**
 * Markdown → safe HTML, at write time (reading serves the stored HTML). markdown-it with raw HTML
 * off already escapes markup and refuses javascript:/vbscript:/data: links; the sanitiser is the
 * second, independent layer, so a parser bug alone cannot ship a script.
 */
@Injectable()
export class MarkdownRenderer {
  private readonly md = new MarkdownIt({ html: false, linkify: true, typographer: false });

  constructor() {
    // No remote images: loading one would tell a third party who reads a health forum, and when.
    // An image becomes a plain link to it, named by its alt text.
    this.md.renderer.rules.image = (tokens, idx, options, env, self) => {
      const token = tokens[idx];
      const src = String(token.attrGet('src') ?? '');
      const alt = self.renderInlineAsText(token.children ?? [], options, env) || src;
      return `<a href="${this.md.utils.escapeHtml(src)}">${this.md.utils.escapeHtml(alt)}</a>`;
    };
  }

  render(markdown: string): string {
    return sanitizeHtml(this.md.render(markdown), SANITIZE).trim();
  }
}
