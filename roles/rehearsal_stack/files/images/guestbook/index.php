<?php
// The guestbook frontend of the talk's demo, rebuilt for the rehearsal (the
// upstream gb-frontend page loads AngularJS from a CDN; this one needs nothing
// from the internet). As upstream: entries are written to the redis leader and
// read from the redis followers, both found through cluster DNS.
// API kept from upstream's guestbook.php: ?cmd=set&key=K&value=V writes V to
// the leader, ?cmd=get&key=K reads it from a follower (JSON).
function redis_at($host) {
    $r = new Redis();
    $r->connect($host, 6379, 2.0);
    return $r;
}
$leader = getenv('REDIS_LEADER_HOST') ?: 'redis-leader';
$follower = getenv('REDIS_FOLLOWER_HOST') ?: 'redis-follower';
$key = 'messages';
if (isset($_GET['cmd'])) {
    header('Content-Type: application/json');
    $api_key = $_GET['key'] ?? $key;
    if ($_GET['cmd'] == 'set') {
        redis_at($leader)->set($api_key, $_GET['value'] ?? '');
        echo '{"message": "Updated"}';
    } else {
        echo json_encode(['data' => (string) redis_at($follower)->get($api_key)]);
    }
    exit;
}
if ($_SERVER['REQUEST_METHOD'] == 'POST' && trim($_POST['entry'] ?? '') !== '') {
    $r = redis_at($leader);
    $current = (string) $r->get($key);
    $r->set($key, ($current === '' ? '' : $current . ',') . str_replace(',', ' ', trim($_POST['entry'])));
    header('Location: /', true, 303);
    exit;
}
$entries = array_filter(explode(',', (string) redis_at($follower)->get($key)), 'strlen');
?>
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Guestbook</title>
  <style>
    body { font-family: sans-serif; max-width: 40em; margin: 3em auto; }
    h1 { color: #326ce5; }
    input[type=text] { width: 70%; padding: .4em; }
    li { padding: .2em 0; }
    footer { color: #888; font-size: small; margin-top: 2em; }
  </style>
</head>
<body>
  <h1>Guestbook</h1>
  <form method="post" action="/">
    <input type="text" name="entry" id="entry" placeholder="Messages" autofocus>
    <button type="submit" id="submit">Submit</button>
  </form>
  <ul id="entries">
<?php foreach ($entries as $entry): ?>
    <li><?= htmlspecialchars($entry) ?></li>
<?php endforeach; ?>
  </ul>
  <footer>Served by <?= htmlspecialchars(gethostname()) ?>; written to <?= htmlspecialchars($leader) ?>,
    read from <?= htmlspecialchars($follower) ?>.</footer>
</body>
</html>
