// Looks: Home Assistant's own theme variables, so light, dark and custom themes apply.
import { css } from "lit";

export const cardStyles = css`
  :host {
    --ah-normal: var(--success-color, #43a047);
    --ah-low_grade: var(--amber-color, #ffc107);
    --ah-fever: var(--orange-color, #ff9800);
    --ah-high_fever: var(--error-color, #db4437);
    --ah-hyperpyrexia: var(--deep-purple-color, #6a1b9a);
    --ah-hypothermia: var(--info-color, #039be5);
  }
  ha-card {
    overflow: hidden;
  }
  .header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 16px 16px 8px;
    font-size: var(--ha-font-size-xl, 20px);
    color: var(--primary-text-color);
  }
  .header ha-icon {
    color: var(--state-icon-color, var(--primary-color));
  }
  .message {
    padding: 8px 16px 16px;
    color: var(--secondary-text-color);
  }
  .error {
    margin: 8px 16px;
    padding: 8px 12px;
    border-radius: var(--ha-card-border-radius, 12px);
    background: rgba(var(--rgb-error-color, 219, 68, 55), 0.12);
    color: var(--error-color, #db4437);
    cursor: pointer;
  }
  .member {
    border-top: 1px solid var(--divider-color);
  }
  .row {
    display: flex;
    align-items: center;
    gap: 12px;
    width: 100%;
    padding: 10px 16px;
    background: none;
    border: none;
    font: inherit;
    color: var(--primary-text-color);
    text-align: start;
    cursor: pointer;
  }
  .row:focus-visible {
    outline: 2px solid var(--primary-color);
    outline-offset: -2px;
  }
  .avatar {
    flex: none;
    display: grid;
    place-items: center;
    width: 36px;
    height: 36px;
    border-radius: 50%;
    background: var(--secondary-background-color);
    color: var(--primary-text-color);
    font-weight: 500;
  }
  .who {
    flex: 1;
    min-width: 0;
  }
  .name {
    font-weight: 500;
  }
  .summary {
    color: var(--secondary-text-color);
    font-size: var(--ha-font-size-s, 12px);
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .chip {
    display: inline-block;
    padding: 1px 8px;
    border-radius: 10px;
    font-size: var(--ha-font-size-s, 12px);
    color: var(--text-primary-color, #fff);
    background: var(--ah-normal);
  }
  .chip.low_grade { background: var(--ah-low_grade); }
  .chip.fever { background: var(--ah-fever); }
  .chip.high_fever { background: var(--ah-high_fever); }
  .chip.hyperpyrexia { background: var(--ah-hyperpyrexia); }
  .chip.hypothermia { background: var(--ah-hypothermia); }
  .chip.muted {
    background: var(--secondary-background-color);
    color: var(--secondary-text-color);
  }
  .badge {
    flex: none;
    min-width: 20px;
    padding: 0 6px;
    border-radius: 10px;
    background: var(--primary-color);
    color: var(--text-primary-color, #fff);
    font-size: var(--ha-font-size-s, 12px);
    line-height: 20px;
    text-align: center;
  }
  .details {
    padding: 0 16px 12px 64px;
  }
  .section {
    margin-top: 8px;
  }
  .section h3 {
    margin: 0 0 4px;
    font-size: var(--ha-font-size-m, 14px);
    font-weight: 500;
    color: var(--secondary-text-color);
  }
  .line-text {
    margin: 2px 0;
    color: var(--primary-text-color);
  }
  .secondary {
    color: var(--secondary-text-color);
    font-size: var(--ha-font-size-s, 12px);
  }
  .chart {
    display: block;
    width: 100%;
    height: auto;
    max-height: 140px;
    margin: 4px 0;
  }
  .chart .band { opacity: 0.22; }
  .chart .band.low_grade { fill: var(--ah-low_grade); }
  .chart .band.fever { fill: var(--ah-fever); }
  .chart .band.high_fever { fill: var(--ah-high_fever); }
  .chart .band.hyperpyrexia { fill: var(--ah-hyperpyrexia); }
  .chart .line {
    fill: none;
    stroke: var(--primary-color);
    stroke-width: 2;
    stroke-linejoin: round;
  }
  .chart .point { fill: var(--primary-color); }
  .chart .axis {
    fill: var(--secondary-text-color);
    font-size: 9px;
  }
  .chart .check {
    stroke: var(--primary-color);
    stroke-dasharray: 1 3;
    stroke-width: 1.5;
  }
  .chart .dose {
    stroke: var(--secondary-text-color);
    stroke-dasharray: 2 2;
  }
  .chart .forecast {
    fill: none;
    stroke: var(--primary-color);
    stroke-dasharray: 4 3;
    stroke-width: 1.5;
  }
  .chart .forecast-band {
    fill: var(--primary-color);
    opacity: 0.15;
  }
  .chart.weight { max-height: 80px; }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    margin-top: 6px;
  }
  .block {
    border-top: 1px solid var(--divider-color);
    padding: 8px 16px 12px;
  }
  .block h2 {
    margin: 4px 0 6px;
    font-size: var(--ha-font-size-l, 16px);
    font-weight: 500;
    color: var(--primary-text-color);
  }
  .chore {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 4px 0;
  }
  .chore .what {
    flex: 1;
    min-width: 0;
  }
  .chore.done .title {
    text-decoration: line-through;
    color: var(--secondary-text-color);
  }
  .chore.overdue .when {
    color: var(--error-color, #db4437);
  }
  .icon-button {
    flex: none;
    display: grid;
    place-items: center;
    width: 36px;
    height: 36px;
    padding: 0;
    border: none;
    border-radius: 50%;
    background: none;
    color: var(--secondary-text-color);
    cursor: pointer;
  }
  .icon-button.done {
    color: var(--primary-color);
  }
  .icon-button:hover {
    background: var(--secondary-background-color);
  }
  .icon-button svg {
    width: 22px;
    height: 22px;
    fill: currentColor;
  }
  .held {
    padding: 4px 0;
  }
  .names {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin-top: 4px;
  }
  .name-button {
    padding: 4px 12px;
    border: 1px solid var(--divider-color);
    border-radius: 16px;
    background: var(--card-background-color);
    color: var(--primary-text-color);
    font: inherit;
    cursor: pointer;
  }
  .name-button.discard {
    color: var(--error-color, #db4437);
  }
`;

export const dialogStyles = css`
  .overlay {
    position: fixed;
    inset: 0;
    z-index: 10;
    display: grid;
    place-items: center;
    background: rgba(0, 0, 0, 0.4);
  }
  form {
    width: min(360px, calc(100vw - 32px));
    padding: 20px;
    border-radius: var(--ha-dialog-border-radius, 24px);
    background: var(--card-background-color, var(--primary-background-color));
    color: var(--primary-text-color);
    box-shadow: var(--ha-card-box-shadow, 0 4px 16px rgba(0, 0, 0, 0.3));
  }
  h2 {
    margin: 0 0 16px;
    font-size: var(--ha-font-size-xl, 20px);
    font-weight: 400;
  }
  label {
    display: block;
    margin-bottom: 12px;
    color: var(--secondary-text-color);
    font-size: var(--ha-font-size-s, 12px);
  }
  input,
  select {
    box-sizing: border-box;
    display: block;
    width: 100%;
    margin-top: 4px;
    padding: 10px;
    border: 1px solid var(--divider-color);
    border-radius: 8px;
    background: var(--secondary-background-color);
    color: var(--primary-text-color);
    font: inherit;
    font-size: var(--ha-font-size-l, 16px);
  }
  .pair {
    display: flex;
    gap: 8px;
  }
  .pair label:first-child {
    flex: 2;
  }
  .pair label:last-child {
    flex: 1;
  }
  .buttons {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
    margin-top: 8px;
  }
  .error {
    margin-bottom: 12px;
    color: var(--error-color, #db4437);
  }
`;
