// Reads an iCalendar feed on stdin with ical.js (Mozilla's parser, independent of the
// server's icalendar) and prints one JSON line per VEVENT: its UID, STATUS, SEQUENCE, the
// start and end as local wall-clock times in their TZID and as UTC instants (converted
// with the feed's own VTIMEZONE), location and URL. Exit code 1 if it cannot parse.
const ICAL = require("ical.js");

let text = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (text += chunk));
process.stdin.on("end", () => {
  let calendar;
  try {
    calendar = new ICAL.Component(ICAL.parse(text));
  } catch (error) {
    console.log(JSON.stringify({ error: String(error) }));
    process.exit(1);
  }
  const zones = calendar.getAllSubcomponents("vtimezone");
  for (const zone of zones) ICAL.TimezoneService.register(zone);
  console.log(
    JSON.stringify({
      calendar: calendar.getFirstPropertyValue("x-wr-calname"),
      version: calendar.getFirstPropertyValue("version"),
      timezones: zones.map((zone) => zone.getFirstPropertyValue("tzid")),
    }),
  );
  for (const component of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(component);
    const start = event.startDate;
    const end = event.endDate;
    console.log(
      JSON.stringify({
        uid: event.uid,
        summary: event.summary,
        status: component.getFirstPropertyValue("status"),
        sequence: event.sequence,
        tzid: start.zone ? start.zone.tzid : null,
        local_start: start.toString(),
        local_end: end.toString(),
        utc_start: start.toJSDate().toISOString(),
        utc_end: end.toJSDate().toISOString(),
        location: event.location,
        url: component.getFirstPropertyValue("url"),
      }),
    );
  }
});
