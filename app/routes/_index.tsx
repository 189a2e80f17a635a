import type { MetaFunction } from "@remix-run/node";
import { Link, useRouteLoaderData } from "@remix-run/react";
import type { loader as rootLoader } from "~/root";

export const meta: MetaFunction = () => [
  { title: "Colecta — back the projects you believe in" },
  { name: "description", content: "Crowdfunding for innovation projects. Pledge to a campaign; you are charged only if it reaches its goal." },
];

export default function Home() {
  const root = useRouteLoaderData<typeof rootLoader>("root");
  return (
    <>
      <section className="hero">
        <div className="container hero-grid">
          <div>
            <p className="eyebrow">Crowdfunding for innovation projects</p>
            <h1>Back the ideas you want to exist.</h1>
            <p className="lead">
              Creators set a goal and a deadline. You pledge with a card, and you are charged only if the campaign
              reaches its goal — on the deadline, never before.
            </p>
            <div className="hero-actions">
              <Link to="/discover" className="button button-primary button-large">
                Discover projects
              </Link>
              {root?.user ? (
                <Link to="/creator" className="button button-secondary button-large">
                  Start a project
                </Link>
              ) : (
                <Link to="/signup" className="button button-secondary button-large">
                  Create an account
                </Link>
              )}
            </div>
          </div>
          <aside className="hero-card" aria-label="How a pledge works">
            <ol className="timeline">
              <li>
                <strong>Pledge</strong>
                <span>Pick a reward. Your card is saved securely by Stripe; nothing is charged yet.</span>
              </li>
              <li>
                <strong>Deadline</strong>
                <span>If the goal is met, every pledge is collected at once. If not, nobody pays.</span>
              </li>
              <li>
                <strong>Delivery</strong>
                <span>The creator is paid out after our finance team checks every cent, and gets building.</span>
              </li>
            </ol>
          </aside>
        </div>
      </section>
      <section className="container trust-row" aria-label="Why Colecta">
        <div>
          <h2>Charged only if funded</h2>
          <p className="muted">All-or-nothing campaigns collect nothing unless they reach their goal.</p>
        </div>
        <div>
          <h2>Change your mind</h2>
          <p className="muted">Change or cancel a pledge any time before the deadline.</p>
        </div>
        <div>
          <h2>Every cent accounted for</h2>
          <p className="muted">A double-entry ledger and a reviewed statement behind every payout.</p>
        </div>
      </section>
    </>
  );
}
