import { useTranslation } from "react-i18next";
import type { CurrencyCode } from "../../db/schema.js";
import { destinationName } from "../domain/catalog";
import { addOnField, type PricedAddOn } from "../domain/pledge-rules";
import { FieldError } from "./fields";
import { useFormat } from "./locale";

// The add-ons a reward offers, each with a quantity, on the pledge form and on the backer's
// change form. Quantities are controlled by the page (the total follows them); each input is the
// `addOns.<id>` field the server prices, its error shown beside it.

export interface AddOnFieldState {
  errors?: readonly string[];
  errorId: string;
}

export function AddOnChoices({
  addOns,
  currency,
  quantities,
  onChange,
  fieldOf,
  destination,
  idPrefix = "add-on",
}: {
  /** The add-ons the chosen reward offers. */
  addOns: readonly (PricedAddOn & { description?: string })[];
  currency: CurrencyCode;
  quantities: Record<string, string>;
  onChange: (addOnId: string, quantity: string) => void;
  /** The Conform field of an add-on's quantity (its errors). */
  fieldOf: (addOnId: string) => AddOnFieldState;
  /** The chosen destination, for the surcharge shown. */
  destination: string;
  idPrefix?: string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  if (addOns.length === 0) return null;
  const money = (value: number) => f.money(value, currency);
  return (
    <fieldset className="add-on-choices">
      <legend>{t("public:pledge.addOns.legend")}</legend>
      <p className="muted small">{t("public:pledge.addOns.intro")}</p>
      {addOns.map((addOn) => {
        const field = fieldOf(addOn.id);
        const error = field.errors?.[0];
        const inputId = `${idPrefix}-${addOn.id}`;
        const hintId = `${inputId}-hint`;
        const cap = Math.min(addOn.perBackerMax ?? 1000, addOn.left ?? 1000);
        const rate = addOn.ships ? addOn.shipping.find((r) => r.destination === destination) : undefined;
        const soldOut = addOn.left === 0 && !Number(quantities[addOn.id] ?? 0);
        return (
          <div key={addOn.id} className={`add-on-choice${error ? " field-invalid" : ""}${soldOut ? " sold-out" : ""}`}>
            <div className="add-on-body">
              <label htmlFor={inputId} className="add-on-title">
                <strong>{addOn.title}</strong>
                <span className="tier-price">{t("public:pledge.addOns.each", { amount: money(addOn.price) })}</span>
              </label>
              {addOn.description ? <span className="muted small">{addOn.description}</span> : null}
              <span id={hintId} className="tier-meta">
                {addOn.left === null
                  ? t("public:pledge.unlimited")
                  : addOn.left === 0
                    ? t("public:pledge.soldOut")
                    : t("public:pledge.left", { count: addOn.left })}
                {addOn.perBackerMax ? ` · ${t("public:pledge.addOns.perBacker", { count: addOn.perBackerMax })}` : ""}
                {addOn.ships
                  ? ` · ${
                      rate
                        ? t("public:pledge.addOns.shipsFor", {
                            amount: money(rate.amount),
                            destination: destinationName(rate.destination, t),
                          })
                        : t("public:pledge.addOns.ships")
                    }`
                  : ""}
              </span>
              <FieldError id={field.errorId} errors={field.errors} />
            </div>
            <input
              id={inputId}
              className="add-on-quantity"
              type="number"
              inputMode="numeric"
              min={0}
              max={Math.max(cap, Number(quantities[addOn.id] ?? 0))}
              step={1}
              name={addOnField(addOn.id)}
              value={quantities[addOn.id] ?? ""}
              placeholder="0"
              disabled={soldOut}
              aria-invalid={error ? true : undefined}
              aria-describedby={[hintId, error ? field.errorId : null].filter(Boolean).join(" ")}
              onChange={(e) => onChange(addOn.id, e.target.value)}
            />
          </div>
        );
      })}
    </fieldset>
  );
}
