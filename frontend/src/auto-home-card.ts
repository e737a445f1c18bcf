// custom:auto-home-card: the household at a glance, for everyone in the house.
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { feverChart, weightSparkline } from "./charts";
import { failure, type Reading } from "./dialog";
import "./dialog";
import "./editor";
import { Formatter } from "./format";
import { receive } from "./household";
import { languageOf, localizer, type Localize } from "./strings";
import { cardStyles } from "./styles";
import {
  SECTIONS,
  type CardConfig,
  type Chore,
  type HomeAssistant,
  type Household,
  type HouseholdEvent,
  type Member,
  type Section,
} from "./types";

// Material Design Icons paths (inline: hundreds of chore rows stay cheap).
const ICON_DONE = "M21,7L9,19L3.5,13.5L4.91,12.09L9,16.17L19.59,5.59L21,7Z";
const ICON_SNOOZE =
  "M7.88,3.39L6.6,1.86L2,5.71L3.29,7.24L7.88,3.39M22,5.72L17.4,1.86L16.11,3.39L20.71,7.25L22,5.72M12,4A9,9 0 0,0 3,13A9,9 0 0,0 12,22A9,9 0 0,0 21,13A9,9 0 0,0 12,4M12,20A7,7 0 0,1 5,13A7,7 0 0,1 12,6A7,7 0 0,1 19,13A7,7 0 0,1 12,20M9,11H12.63L9,15.2V17H15V15H11.37L15,10.8V9H9V11Z";
const ICON_SKIP = "M16,18H18V6H16M6,18L14.5,12L6,6V18Z";
// A kitchen tablet shows the first few; "Show all" lists the rest.
const CHORES_SHOWN = 12;
const STATUS_ORDER: Record<string, number> = { overdue: 0, due: 1, upcoming: 2, done: 3 };
// Countdowns ("next check in 20 minutes") move on without a server message.
const TICK_MS = 30_000;
const RETRY_MS = 5_000;

interface OpenDialog {
  kind: Reading;
  member: string;
}

@customElement("auto-home-card")
export class AutoHomeCard extends LitElement {
  static styles = cardStyles;

  @property({ attribute: false }) hass?: HomeAssistant;
  @state() private config!: CardConfig;
  @state() private household?: Household;
  @state() private expanded = new Set<string>();
  @state() private dialog?: OpenDialog;
  @state() private error = "";
  @state() private missing = "";
  @state() private clock = Date.now();
  @state() private allChores = false;
  private unsubscribe?: Promise<() => Promise<void>>;
  private skew = 0;
  private timer?: number;
  private retryTimer?: number;
  private formatterKey = "";
  private cachedFormatter?: Formatter;

  static getConfigElement() {
    return document.createElement("auto-home-card-editor");
  }

  static getStubConfig(): Omit<CardConfig, "type"> {
    return {};
  }

  setConfig(config: CardConfig) {
    if (config.sections?.some((section) => !SECTIONS.includes(section))) {
      throw new Error(`sections: one of ${SECTIONS.join(", ")}`);
    }
    const resubscribe = this.config && this.config.entry_id !== config.entry_id;
    this.config = config;
    if (resubscribe) {
      this.stop();
      this.start();
    }
  }

  getCardSize() {
    return 2 + (this.household?.order.length ?? 2);
  }

  connectedCallback() {
    super.connectedCallback();
    this.start();
    this.timer = window.setInterval(() => (this.clock = Date.now()), TICK_MS);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.stop();
    window.clearInterval(this.timer);
    window.clearTimeout(this.retryTimer);
  }

  protected willUpdate(changed: PropertyValues<this>) {
    if (changed.has("hass")) this.start();
  }

  /** Subscribe once there is a connection (the frontend resubscribes after a reconnect). */
  private start() {
    if (this.unsubscribe || !this.hass || !this.isConnected || !this.config) return;
    const message: Record<string, unknown> = { type: "auto_home/subscribe" };
    if (this.config.entry_id) message.entry_id = this.config.entry_id;
    this.unsubscribe = this.hass.connection.subscribeMessage<HouseholdEvent>(
      (event) => this.receive(event),
      message,
    );
    this.unsubscribe.catch((err) => {
      this.missing = failure(err);
      this.unsubscribe = undefined;
      this.retry();
    });
  }

  /** Subscribe again in a while (a household set up or reloaded meanwhile shows up). */
  private retry() {
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.start(), RETRY_MS);
  }

  private stop() {
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    unsubscribe?.then((unsub) => unsub()).catch(() => undefined);
  }

  private receive(event: HouseholdEvent) {
    if ("closed" in event) {
      // The household is reloading: ask again once it is back.
      this.stop();
      this.retry();
      return;
    }
    this.household = receive(this.household, event);
    if (this.household) this.skew = this.household.now - Date.now() / 1000;
    this.missing = "";
  }

  /** The server's time now, in Unix seconds. */
  private now() {
    return this.clock / 1000 + this.skew;
  }

  private shows(section: Section) {
    return !this.config.sections || this.config.sections.includes(section);
  }

  protected render() {
    if (!this.config || !this.hass) return nothing;
    const language = languageOf(this.hass);
    const l = localizer(language);
    const household = this.household;
    const title = this.config.title ?? household?.title ?? l("name");
    return html`<ha-card>
      <div class="header"><ha-icon icon="mdi:home-heart"></ha-icon>${title}</div>
      ${this.error
        ? html`<div class="error" role="alert" @click=${() => (this.error = "")}>
            ${l("failed", { message: this.error })}
          </div>`
        : nothing}
      ${household
        ? this.renderHousehold(household, l, this.formatter(language))
        : html`<div class="message">${this.missing || l("loading")}</div>`}
      ${this.dialog ? this.renderDialog(household, l) : nothing}
    </ha-card>`;
  }

  /** The formatter for the user's settings (Intl objects are costly to make each render). */
  private formatter(language: string) {
    const hass = this.hass!;
    const key = [language, hass.locale?.time_zone, hass.config.time_zone,
      hass.config.unit_system.temperature, hass.config.unit_system.mass].join("|");
    if (this.formatterKey !== key) {
      this.formatterKey = key;
      this.cachedFormatter = new Formatter(hass, language);
    }
    return this.cachedFormatter!;
  }

  private renderHousehold(household: Household, l: Localize, f: Formatter) {
    const chosen = this.config.members?.length ? new Set(this.config.members) : undefined;
    const ids = household.order.filter((id) => household.members[id] && (!chosen || chosen.has(id)));
    const healthShown = this.shows("temperature") || this.shows("weight");
    return html`${ids.map((id) => this.renderMember(household, id, healthShown, l, f))}
    ${this.shows("chores") ? this.renderChores(household, chosen, l, f) : nothing}
    ${this.shows("held") && household.held.length ? this.renderHeld(household, l, f) : nothing}`;
  }

  private renderMember(household: Household, id: string, healthShown: boolean, l: Localize, f: Formatter) {
    const member = household.members[id];
    const open = healthShown && this.expanded.has(id);
    const summary: (TemplateResult | string)[] = [];
    if (member.private) summary.push(l("private"));
    else {
      if (this.shows("temperature") && member.temp) {
        summary.push(html`<span class="chip ${member.temp.class}">${f.temperature(member.temp.c)}</span>`);
      }
      if (this.shows("weight") && member.weight) summary.push(f.weight(member.weight.kg));
    }
    if (member.away) summary.push(l("away"));
    return html`<div class="member" data-member=${id}>
      <button class="row" aria-expanded=${open} @click=${() => this.toggle(id)}>
        <span class="avatar">${member.name.slice(0, 1).toUpperCase()}</span>
        <span class="who">
          <div class="name">${member.name}</div>
          <div class="summary">${summary.map((part, i) => html`${i ? " · " : ""}${part}`)}</div>
        </span>
        ${this.shows("chores") && member.due
          ? html`<span class="badge" title=${l("due_count", { count: member.due })}>${member.due}</span>`
          : nothing}
      </button>
      ${open && !member.private
        ? html`<div class="details">
            ${this.shows("temperature") ? this.renderTemperature(household, id, member, l, f) : nothing}
            ${this.shows("weight") ? this.renderWeight(id, member, l, f) : nothing}
          </div>`
        : nothing}
    </div>`;
  }

  private renderTemperature(household: Household, id: string, member: Member, l: Localize, f: Formatter) {
    const temp = member.temp;
    const episode = member.episode;
    const now = this.now();
    return html`<div class="section temperature">
      <h3>${l("temperature")}</h3>
      ${temp
        ? html`<div class="line-text">
              ${l("measured", { value: f.temperature(temp.c), site: l(`site.${temp.site}`) })}
              <span class="chip ${temp.class}">${l(`class.${temp.class}`)}</span>
            </div>
            <div class="secondary">
              ${f.clock(temp.at, now)}${temp.site !== "oral"
                ? html` · ${l("oral_equivalent", { value: f.temperature(temp.core) })}`
                : nothing}
            </div>`
        : html`<div class="secondary">${l("no_reading")}</div>`}
      ${episode
        ? html`<div class="episode">
            <div class="line-text">
              ${l("episode", { time: f.clock(episode.start, now), peak: f.temperature(episode.peak) })}
            </div>
            ${feverChart(episode, household.thresholds, now, (c) => f.temperature(c))}
            ${episode.check
              ? html`<div class="line-text next-check">
                  ${l(episode.check > now ? "next_check" : "check_due", {
                    when: f.fromNow(episode.check, now),
                  })}
                </div>`
              : nothing}
          </div>`
        : nothing}
      ${this.logButton("temperature", id, l)}
    </div>`;
  }

  private renderWeight(id: string, member: Member, l: Localize, f: Formatter) {
    const weight = member.weight;
    const parts: string[] = [];
    if (weight) {
      if (weight.week !== null) parts.push(l("weekly_change", { change: f.weightChange(weight.week) }));
      if (weight.forecast) {
        parts.push(
          l("forecast", {
            value: f.weight(weight.forecast.kg),
            low: f.weight(weight.forecast.low),
            high: f.weight(weight.forecast.high),
          }),
        );
      }
      if (weight.goal !== null && weight.goal_date) {
        parts.push(l("goal_date", { goal: f.weight(weight.goal), date: f.isoDate(weight.goal_date) }));
      } else if (weight.goal_reason) parts.push(l(`goal_reason.${weight.goal_reason}`));
    }
    return html`<div class="section weight">
      <h3>${l("weight")}</h3>
      ${weight
        ? html`<div class="line-text">${f.weight(weight.kg)}
              <span class="secondary">${f.clock(weight.at, this.now())}</span></div>
            ${weightSparkline(weight)}
            ${parts.map((part) => html`<div class="secondary">${part}</div>`)}`
        : html`<div class="secondary">${l("no_reading")}</div>`}
      ${this.logButton("weight", id, l)}
    </div>`;
  }

  private renderChores(household: Household, chosen: Set<string> | undefined, l: Localize, f: Formatter) {
    const chores = Object.entries(household.chores)
      .filter(([, chore]) => !chosen || !chore.assignee || chosen.has(chore.assignee))
      .sort(([, a], [, b]) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.due - b.due);
    const shown = this.allChores ? chores : chores.slice(0, CHORES_SHOWN);
    const hidden = chores.length - shown.length;
    const now = this.now();
    return html`<div class="block chores">
      <h2>${l("chores")}</h2>
      ${chores.length ? nothing : html`<div class="secondary">${l("nothing_due")}</div>`}
      ${shown.map(([id, chore]) => this.renderChore(household, id, chore, now, l, f))}
      ${hidden
        ? html`<button class="name-button more" @click=${() => (this.allChores = true)}>
            ${l("show_all", { count: hidden })}
          </button>`
        : nothing}
      ${household.upcoming ? html`<div class="secondary">${l("later", { count: household.upcoming })}</div>` : nothing}
    </div>`;
  }

  private renderChore(household: Household, id: string, chore: Chore, now: number, l: Localize, f: Formatter) {
    const name = (member: string | null) => (member && household.members[member]?.name) || l("anyone");
    let when: string;
    if (chore.status === "done") when = l("done_by", { name: name(chore.by) });
    else if (chore.snoozed && chore.snoozed > now) when = l("snoozed_until", { time: f.clock(chore.snoozed, now) });
    else if (chore.status === "overdue") when = `${l("status.overdue")} · ${l("due_at", { when: f.fromNow(chore.due, now) })}`;
    else if (chore.all_day) when = l("due_today");
    else when = l("due_at", { when: f.clock(chore.due, now) });
    return html`<div class="chore ${chore.status}" data-chore=${id}>
      <div class="what">
        <div class="title">${chore.name}</div>
        <div class="secondary"><span class="assignee">${name(chore.assignee)}</span> · <span class="when">${when}</span></div>
      </div>
      ${chore.status === "done"
        ? nothing
        : html`${this.iconButton(l("action.skip"), ICON_SKIP, "skip", () => this.call("skip_chore", { chore: id }))}
          ${this.iconButton(l("action.snooze"), ICON_SNOOZE, "snooze", () =>
            this.call("snooze_chore", { chore: id, duration: "01:00:00" }),
          )}
          ${this.iconButton(l("action.done"), ICON_DONE, "done", () => this.call("complete_chore", { chore: id }))}`}
    </div>`;
  }

  private logButton(kind: Reading, member: string, l: Localize) {
    return html`<div class="actions">
      <ha-button appearance="filled" @click=${() => (this.dialog = { kind, member })}>
        ${l(`action.log_${kind}`)}
      </ha-button>
    </div>`;
  }

  private iconButton(label: string, path: string, kind: string, action: () => void) {
    return html`<button class="icon-button ${kind}" title=${label} aria-label=${label} @click=${action}>
      <svg viewBox="0 0 24 24"><path d=${path}></path></svg>
    </button>`;
  }

  private renderHeld(household: Household, l: Localize, f: Formatter) {
    const viewer = household.viewer;
    // A non-admin with "own member only" may claim a reading for their own member.
    const claimable = household.order.filter(
      (id) => household.members[id] && (viewer.admin || viewer.scope === "all" || id === viewer.member),
    );
    const now = this.now();
    return html`<div class="block held-readings">
      <h2>${l("held")}</h2>
      ${household.held.map(
        (reading) => html`<div class="held" data-reading=${reading.id}>
          <div class="line-text">${l("held_reading", { weight: f.weight(reading.kg), time: f.clock(reading.at, now) })}</div>
          <div class="secondary">${l("whose")}</div>
          <div class="names">
            ${claimable.map(
              (id) => html`<button class="name-button" data-member=${id}
                @click=${() => this.call("assign_weight", { reading_id: reading.id, member: id })}>
                ${household.members[id].name}
              </button>`,
            )}
            ${viewer.discard
              ? html`<button class="name-button discard"
                  @click=${() => this.call("discard_weight", { reading_id: reading.id })}>${l("action.discard")}</button>`
              : nothing}
          </div>
        </div>`,
      )}
    </div>`;
  }

  private renderDialog(household: Household | undefined, l: Localize) {
    const { kind, member } = this.dialog!;
    const last = household?.members[member];
    return html`<auto-home-log-dialog
      .hass=${this.hass!}
      .localize=${l}
      .kind=${kind}
      .member=${member}
      .memberName=${last?.name ?? ""}
      .site=${last?.temp?.site ?? "oral"}
      @closed=${() => (this.dialog = undefined)}
    ></auto-home-log-dialog>`;
  }

  private toggle(id: string) {
    const expanded = new Set(this.expanded);
    if (!expanded.delete(id)) expanded.add(id);
    this.expanded = expanded;
  }

  private async call(service: string, data: Record<string, unknown>) {
    this.error = "";
    try {
      await this.hass!.callService("auto_home", service, data);
    } catch (err) {
      this.error = failure(err);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "auto-home-card": AutoHomeCard;
  }
  interface Window {
    customCards?: { type: string; name: string; description: string; preview?: boolean; documentationURL?: string }[];
  }
}

// The card picker lists it ("Auto Home household"), in the page's language.
const picker = localizer(languageOf({ language: document.documentElement.lang || "en" } as HomeAssistant));
window.customCards = window.customCards ?? [];
window.customCards.push({
  type: "auto-home-card",
  name: picker("name"),
  description: picker("description"),
  preview: true,
  documentationURL: "https://github.com/auto-home/auto_home#household-card",
});
