// The card's visual editor: a title, which members, which sections (Home Assistant's own form).
import { LitElement, html, nothing } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { languageOf, localizer } from "./strings";
import { SECTIONS, type CardConfig, type HomeAssistant, type HouseholdEvent } from "./types";

interface Field {
  name: string;
}

@customElement("auto-home-card-editor")
export class AutoHomeCardEditor extends LitElement {
  @property({ attribute: false }) hass?: HomeAssistant;
  @state() private config?: CardConfig;
  @state() private members: { value: string; label: string }[] = [];
  private asked = false;

  setConfig(config: CardConfig) {
    this.config = config;
  }

  protected willUpdate() {
    if (this.hass && !this.asked) {
      this.asked = true;
      this.loadMembers(this.hass);
    }
  }

  /** The household's members (names by id), from one snapshot of the subscription. */
  private loadMembers(hass: HomeAssistant) {
    let unsubscribe: (() => Promise<void>) | undefined;
    let done = false;
    const message: Record<string, unknown> = { type: "auto_home/subscribe" };
    if (this.config?.entry_id) message.entry_id = this.config.entry_id;
    hass.connection
      .subscribeMessage<HouseholdEvent>((event) => {
        if (!("snapshot" in event) || done) return;
        done = true;
        const { order, members } = event.snapshot;
        this.members = order.filter((id) => members[id]).map((id) => ({ value: id, label: members[id].name }));
        unsubscribe?.();
      }, message)
      .then((unsub) => {
        unsubscribe = unsub;
        if (done) unsub();
      })
      .catch(() => undefined);
  }

  protected render() {
    if (!this.hass || !this.config) return nothing;
    const l = localizer(languageOf(this.hass));
    const schema = [
      { name: "title", selector: { text: {} } },
      { name: "members", selector: { select: { multiple: true, mode: "list", options: this.members } } },
      {
        name: "sections",
        selector: {
          select: {
            multiple: true,
            mode: "list",
            options: SECTIONS.map((section) => ({ value: section, label: l(section) })),
          },
        },
      },
    ];
    const data = { ...this.config, sections: this.config.sections ?? [...SECTIONS] };
    return html`<ha-form
      .hass=${this.hass}
      .data=${data}
      .schema=${schema}
      .computeLabel=${(field: Field) => l(`editor.${field.name}`)}
      @value-changed=${this.changed}
    ></ha-form>`;
  }

  private changed(event: CustomEvent<{ value: CardConfig }>) {
    event.stopPropagation();
    const config: CardConfig = { ...event.detail.value };
    if (!config.title) delete config.title;
    if (!config.members?.length) delete config.members;
    if (config.sections && SECTIONS.every((section) => config.sections!.includes(section))) delete config.sections;
    this.config = config;
    this.dispatchEvent(new CustomEvent("config-changed", { detail: { config }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "auto-home-card-editor": AutoHomeCardEditor;
  }
}
