import { CONTROL, variantsFrom } from "./variants";

describe("variantsFrom", () => {
  it("keeps control arms when nothing is assigned", () => {
    expect(variantsFrom(null)).toEqual(CONTROL);
  });
  it("reads a map and a list of assignments, ignoring unknown values", () => {
    expect(variantsFrom({ variants: { offer_presentation: "table", chat_layout: "sideways" } })).toEqual({ ...CONTROL, offer_presentation: "table" });
    expect(variantsFrom([{ experiment: "chat_layout", variant: "floating" }])).toEqual({ ...CONTROL, chat_layout: "floating" });
  });
});
