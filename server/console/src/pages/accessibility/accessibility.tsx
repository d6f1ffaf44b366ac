// The accessibility statement the Public Sector Bodies Accessibility Regulations 2018 ask for.
import type { PageProps } from '../../route-kit.js';

export const AccessibilityPage = (_: PageProps) => (
  <div className="govuk-grid-row">
    <div className="govuk-grid-column-two-thirds">
      <h1 className="govuk-heading-l">Accessibility statement for the ccx console</h1>
      <p className="govuk-body">
        The console is built to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA, as
        public sector bodies must. It uses the GOV.UK Design System&apos;s components unchanged.
      </p>
      <h2 className="govuk-heading-m">How it is tested</h2>
      <ul className="govuk-list govuk-list--bullet">
        <li>
          Every page and state the browser tests reach is checked with axe-core for WCAG 2.2 A and AA rules.
        </li>
        <li>One whole journey is done with the keyboard alone.</li>
        <li>Every page is checked at 320 pixels wide and at 200% zoom.</li>
      </ul>
      <p className="govuk-body">You should be able to:</p>
      <ul className="govuk-list govuk-list--bullet">
        <li>change colours, contrast levels and fonts using browser or device settings</li>
        <li>zoom in up to 400% without the text spilling off the screen</li>
        <li>navigate the whole console using just a keyboard or speech recognition software</li>
        <li>listen to it using a screen reader</li>
      </ul>
      <h2 className="govuk-heading-m">Reporting problems</h2>
      <p className="govuk-body">
        Tell your authority&apos;s ccx admin about anything you cannot do; they raise it with the hub&apos;s
        operators.
      </p>
    </div>
  </div>
);
