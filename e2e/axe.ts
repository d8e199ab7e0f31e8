import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * Runs axe (WCAG 2.x A/AA rules) over the page as it is now and fails on any serious or critical
 * violation, listing each rule with the elements it found. Use it on every page a spec visits,
 * in each theme the spec switches to.
 */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  // Let the page settle (lazy routes, queries) so axe sees what a user sees.
  await expect(page.locator('.state--loading')).toHaveCount(0);
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  const report = serious.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n'),
  );
  expect(report, `axe found serious violations on ${page.url()}`).toEqual([]);
}
