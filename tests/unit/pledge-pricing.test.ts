import type { CurrencyCode } from "../../db/schema";
import { CURRENCIES, CURRENCY_CODES, formatMoney } from "~/domain/money";
import { addOnsOffered, pricePledge, type PricedAddOn, type PricedTier } from "~/domain/pledge-rules";
import { translatorFor } from "~/i18n";

// What a pledge costs with add-ons: reward (minimum or more) + add-ons + the reward's shipping +
// each shipped add-on's surcharge per unit, in integer minor units of every currency.

const unit = (currency: CurrencyCode) => 10 ** CURRENCIES[currency].exponent;

function fixture(currency: CurrencyCode) {
  const u = unit(currency);
  const tier: PricedTier = {
    id: "tier-lantern",
    title: "Lantern",
    minimum_amount: 25 * u,
    ships: true,
    shipping: [
      { destination: "US", amount: 5 * u },
      { destination: "ROW", amount: 15 * u },
    ],
  };
  const spare: PricedAddOn = {
    id: "spare",
    title: "Spare lantern",
    price: 18 * u,
    ships: true,
    shipping: [
      { destination: "US", amount: 2 * u },
      { destination: "ROW", amount: 6 * u },
    ],
    perBackerMax: 3,
    left: 5,
    tierIds: [tier.id],
  };
  const stickers: PricedAddOn = {
    id: "stickers",
    title: "Stickers",
    price: 4 * u + (u > 1 ? 50 : 0),
    ships: false,
    shipping: [],
    perBackerMax: null,
    left: null,
    tierIds: [tier.id, "tier-digital"],
  };
  return { tier, spare, stickers, addOns: [spare, stickers] };
}

describe("pricing a pledge with add-ons", () => {
  for (const currency of CURRENCY_CODES) {
    it(`adds reward, add-ons and every surcharge exactly in ${currency.toUpperCase()}`, () => {
      const { tier, addOns, stickers } = fixture(currency);
      const u = unit(currency);
      const price = pricePledge({
        currency,
        tier,
        amountInput: "30",
        destination: "ROW",
        addOns,
        addOnQuantities: { spare: "2", stickers: "3" },
      });
      expect(price.ok).toBe(true);
      if (!price.ok) return;
      expect(price.baseAmount).toBe(30 * u);
      expect(price.addOnsAmount).toBe(2 * 18 * u + 3 * stickers.price);
      expect(price.shippingAmount).toBe(15 * u + 2 * 6 * u);
      expect(price.amount).toBe(price.baseAmount + price.addOnsAmount + price.shippingAmount);
      expect(Number.isInteger(price.amount)).toBe(true);
      expect(price.addOnLines).toEqual([
        { add_on_id: "spare", quantity: 2, unit_price: 18 * u, amount: 36 * u, shipping_amount: 12 * u },
        {
          add_on_id: "stickers",
          quantity: 3,
          unit_price: stickers.price,
          amount: 3 * stickers.price,
          shipping_amount: 0,
        },
      ]);
    });
  }

  it("reads the reward amount as a Spanish reader types it, add-ons by whole units", () => {
    const { tier, addOns } = fixture("eur");
    const price = pricePledge({
      currency: "eur",
      tier,
      amountInput: "25,50",
      destination: "US",
      addOns,
      addOnQuantities: { stickers: "2" },
      locale: "es",
      t: translatorFor("es"),
    });
    expect(price).toMatchObject({ ok: true, baseAmount: 2_550, addOnsAmount: 900, shippingAmount: 500, amount: 3_950 });
  });

  it("an empty or zero quantity is no line at all", () => {
    const { tier, addOns } = fixture("usd");
    const price = pricePledge({
      currency: "usd",
      tier,
      amountInput: "25",
      destination: "US",
      addOns,
      addOnQuantities: { spare: "", stickers: "0" },
    });
    expect(price).toMatchObject({ ok: true, addOnsAmount: 0, amount: 3_000, addOnLines: [] });
  });

  it("refuses at the add-on's field, in the reader's language", () => {
    const { tier, addOns } = fixture("jpy");
    const es = translatorFor("es");
    const attempt = (quantities: Record<string, string>, destination = "US", tierOf: PricedTier | null = tier) =>
      pricePledge({
        currency: "jpy",
        tier: tierOf,
        amountInput: "2500",
        destination,
        addOns,
        addOnQuantities: quantities,
        t: es,
        locale: "es",
      });
    expect(attempt({ spare: "4" })).toEqual({
      ok: false,
      field: "addOns.spare",
      message: "«Spare lantern» está limitado a 3 por mecenas.",
    });
    expect(attempt({ spare: "2", stickers: "-1" })).toMatchObject({ field: "addOns.stickers" });
    expect(attempt({ stickers: "1.5" })).toMatchObject({ field: "addOns.stickers" });
    expect(attempt({ ghost: "1" })).toMatchObject({
      field: "addOns.ghost",
      message: "Ese complemento ya no se ofrece.",
    });
    // No reward: add-ons come with a reward only.
    expect(attempt({ stickers: "1" }, "US", null)).toMatchObject({ field: "addOns.stickers" });
    // What is left bounds the preview too.
    const { spare } = fixture("jpy");
    expect(
      pricePledge({
        currency: "jpy",
        tier,
        amountInput: "2500",
        destination: "US",
        addOns: [{ ...spare, left: 1, perBackerMax: null }],
        addOnQuantities: { spare: "2" },
      }),
    ).toMatchObject({ ok: false, field: "addOns.spare", message: "Only 1 of “Spare lantern” are left." });
  });

  it("a shipped add-on needs a rate for the reward's destination", () => {
    const { tier, spare } = fixture("gbp");
    const price = pricePledge({
      currency: "gbp",
      tier: { ...tier, shipping: [...tier.shipping, { destination: "GB", amount: 300 }] },
      amountInput: "25",
      destination: "GB",
      addOns: [spare],
      addOnQuantities: { spare: "1" },
    });
    expect(price).toMatchObject({
      ok: false,
      field: "addOns.spare",
      message: "“Spare lantern” does not ship to that destination.",
    });
  });

  it("the whole pledge stays under the single-pledge ceiling", () => {
    const { tier, spare } = fixture("usd");
    const price = pricePledge({
      currency: "usd",
      tier,
      amountInput: "9999000",
      destination: "US",
      addOns: [{ ...spare, price: 500_000, left: null, perBackerMax: null }],
      addOnQuantities: { spare: "3" },
    });
    expect(price).toMatchObject({
      ok: false,
      field: "amount",
      message: `A single pledge can be at most ${formatMoney(1_000_000_000, "usd")}.`,
    });
  });

  it("offers a reward's own add-ons only", () => {
    const { addOns } = fixture("usd");
    expect(addOnsOffered(addOns, "tier-digital").map((a) => a.id)).toEqual(["stickers"]);
    expect(addOnsOffered(addOns, null)).toEqual([]);
  });
});
