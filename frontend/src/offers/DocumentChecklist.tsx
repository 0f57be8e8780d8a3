// A conditional approval's documents as My applications shows them: which are needed, which are
// in, and why Accept waits. It reads the same API fields as the Compare page (`documents`,
// `accept_blocked` on the application) and only links there: uploading and marking live in one
// place (RequiredDocuments), so the two pages can never disagree about a document's state.
import { Link } from "react-router-dom";
import type { Application } from "../api/endpoints";
import { Badge } from "../design/components";
import { documentsLink, documentState, documentsRemaining } from "../lending/messages";

export function DocumentChecklist({ app }: { app: Application }) {
  const documents = app.documents ?? [];
  if (documents.length === 0) return null;
  const uid = app.application_id;
  const left = documents.filter((d) => !d.provided).length;
  return (
    <section aria-labelledby={`need-${uid}`} className="stack">
      <h3 id={`need-${uid}`}>Documents we need</h3>
      <p style={{ margin: 0 }}>{documentsRemaining(left, documents.length)}</p>
      <ul style={{ listStyle: "none", padding: 0 }} className="stack" aria-labelledby={`need-${uid}`}>
        {documents.map((d) => (
          <li key={d.name} className="row" style={{ justifyContent: "space-between" }}>
            <span>{d.name}</span>
            <Badge tone={d.provided ? "ok" : "warn"}>{documentState(d.provided)}</Badge>
          </li>
        ))}
      </ul>
      {app.accept_blocked && <p className="alert warn" style={{ margin: 0 }}>{app.accept_blocked}</p>}
      {left > 0 && <p style={{ margin: 0 }}><Link to={`/applications/${uid}/compare`}>{documentsLink()}</Link></p>}
    </section>
  );
}
