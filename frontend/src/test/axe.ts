// axe-core in jsdom: WCAG 2.1 A/AA rules on a rendered component (colour contrast needs a real
// browser and is checked by the e2e flows instead).
import axe from "axe-core";

export async function axeViolations(node: Element): Promise<string[]> {
  const res = await axe.run(node, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    rules: { "color-contrast": { enabled: false } },
  });
  return res.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
}
