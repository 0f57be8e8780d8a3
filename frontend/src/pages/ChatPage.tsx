import { ChatPanel } from "../chat/ChatPanel";
import { usePageTitle } from "./usePageTitle";

export default function ChatPage() {
  usePageTitle("Advisor");
  return <ChatPanel full headingLevel={1} />;
}
