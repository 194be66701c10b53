// What an organisation may act on: an id that is not its own is "not found", never "forbidden", so that one
// organisation cannot learn another's ids.

import { NotFoundError } from "../errors";
import type { Store } from "../store/store";
import type { EventRecord, Organisation } from "../store/types";

/** The organisation's event or course with this id, else 404. */
export async function ownEvent(store: Store, organisation: Organisation, id: string): Promise<EventRecord> {
  const event = await store.events.get(organisation.id, id);
  if (!event) throw new NotFoundError("event");
  return event;
}
