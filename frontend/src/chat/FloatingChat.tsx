// The floating advisor (the chat_layout "floating" arm): a launcher button that opens the chat
// as a modal sheet (from the bottom on a phone) over a backdrop. While open, focus stays in the
// sheet; Escape, the close button or a tap on the backdrop close it and focus returns to the
// launcher, so keyboard and screen-reader users never lose their place on the page.
import { useEffect, useRef, useState } from "react";
import { useFocusTrap } from "../design/useFocusTrap";
import { ChatPanel } from "./ChatPanel";

export function FloatingChat() {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const sheet = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(false);
  useFocusTrap(sheet, open);
  useEffect(() => {
    if (open) close.current?.focus();
    else if (wasOpen.current) toggle.current?.focus();
    wasOpen.current = open;
  }, [open]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);
  if (!open) {
    return <button ref={toggle} type="button" className="btn chat-toggle" aria-haspopup="dialog" onClick={() => setOpen(true)}>Ask the advisor</button>;
  }
  return (
    <>
      <div className="chat-backdrop" data-testid="chat-backdrop" aria-hidden="true" onClick={() => setOpen(false)} />
      <div ref={sheet} role="dialog" aria-modal="true" aria-label="Advisor" className="chat-drawer">
        <button ref={close} type="button" className="btn secondary chat-drawer-close" onClick={() => setOpen(false)}>Close advisor</button>
        <ChatPanel />
      </div>
    </>
  );
}
