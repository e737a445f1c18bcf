// The small dialog that logs a temperature or a weight for one member.
import { LitElement, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { CELSIUS, FAHRENHEIT, KILOGRAMS, POUNDS, temperatureUnit, weightUnit } from "./format";
import type { Localize } from "./strings";
import { dialogStyles } from "./styles";
import { SITES, type HomeAssistant, type Site } from "./types";

export type Reading = "temperature" | "weight";

/** What a service call refused, as the server translated it. */
export function failure(err: unknown): string {
  return (err as { message?: string } | null)?.message ?? String(err);
}

@customElement("auto-home-log-dialog")
export class AutoHomeLogDialog extends LitElement {
  static styles = dialogStyles;

  @property({ attribute: false }) hass!: HomeAssistant;
  @property({ attribute: false }) localize!: Localize;
  @property() kind: Reading = "temperature";
  @property() member = "";
  @property() memberName = "";
  @property() site: Site = "oral";
  @state() private error = "";
  @state() private busy = false;

  protected render() {
    const l = this.localize;
    const temperature = this.kind === "temperature";
    const unit = temperature ? temperatureUnit(this.hass) : weightUnit(this.hass);
    const units = temperature ? [CELSIUS, FAHRENHEIT] : [KILOGRAMS, POUNDS];
    return html`<div class="overlay" @click=${this.backdrop}>
      <form @submit=${this.save} role="dialog" aria-modal="true">
        <h2>${l(`dialog.${this.kind}_title`, { name: this.memberName })}</h2>
        ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}
        <div class="pair">
          <label
            >${l("dialog.value")}
            <input name="value" type="number" inputmode="decimal" step="0.1" required autofocus
          /></label>
          <label
            >${l("dialog.unit")}
            <select name="unit">
              ${units.map((u) => html`<option value=${u} ?selected=${u === unit}>${u}</option>`)}
            </select></label
          >
        </div>
        ${temperature
          ? html`<label
              >${l("dialog.site")}
              <select name="site">
                ${SITES.map(
                  (site) =>
                    html`<option value=${site} ?selected=${site === this.site}>${l(`site.${site}`)}</option>`,
                )}
              </select></label
            >`
          : nothing}
        <div class="buttons">
          <ha-button appearance="plain" @click=${this.close}>${l("action.cancel")}</ha-button>
          <ha-button ?disabled=${this.busy} @click=${this.save}>${l("action.save")}</ha-button>
        </div>
      </form>
    </div>`;
  }

  protected firstUpdated() {
    this.renderRoot.querySelector<HTMLInputElement>("input[name=value]")?.focus();
  }

  private backdrop(event: Event) {
    if (event.target === event.currentTarget) this.close();
  }

  private close() {
    this.dispatchEvent(new CustomEvent("closed"));
  }

  private async save(event: Event) {
    event.preventDefault();
    const form = this.renderRoot.querySelector("form")!;
    if (!form.reportValidity()) return;
    const fields = new FormData(form);
    const value = Number(fields.get("value"));
    const data: Record<string, unknown> = { member: this.member, unit: fields.get("unit") };
    data[this.kind] = value;
    if (this.kind === "temperature") data.site = fields.get("site");
    this.busy = true;
    try {
      await this.hass.callService("auto_home", `record_${this.kind}`, data);
      this.close();
    } catch (err) {
      this.error = failure(err);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "auto-home-log-dialog": AutoHomeLogDialog;
  }
}
