// The play2048 demo's game: a 4x4 board; a move slides every tile as far as it
// goes and merges two equal neighbours once; each move that changed the board
// adds a 2 (or, one time in ten, a 4) on an empty cell.
(function () {
  "use strict";
  var SIZE = 4;
  var board, score, best = Number(localStorage.getItem("play2048-best") || 0);
  var boardEl = document.getElementById("board");

  function empty() {
    var cells = [];
    for (var r = 0; r < SIZE; r++) for (var c = 0; c < SIZE; c++) if (!board[r][c]) cells.push([r, c]);
    return cells;
  }

  function addTile() {
    var cells = empty();
    if (!cells.length) return;
    var cell = cells[Math.floor(Math.random() * cells.length)];
    board[cell[0]][cell[1]] = Math.random() < 0.9 ? 2 : 4;
  }

  // Slide one row to the left: [2, 0, 2, 4] -> [4, 4, 0, 0], adding merges to the score.
  function slide(row) {
    var tiles = row.filter(function (v) { return v; });
    var out = [];
    for (var i = 0; i < tiles.length; i++) {
      if (tiles[i] === tiles[i + 1]) { out.push(tiles[i] * 2); score += tiles[i] * 2; i++; } else { out.push(tiles[i]); }
    }
    while (out.length < SIZE) out.push(0);
    return out;
  }

  // A move is a left slide of the board seen from the move's side.
  function lines(dir) {
    var result = [];
    for (var i = 0; i < SIZE; i++) {
      var line = [];
      for (var j = 0; j < SIZE; j++) {
        if (dir === "left") line.push([i, j]);
        if (dir === "right") line.push([i, SIZE - 1 - j]);
        if (dir === "up") line.push([j, i]);
        if (dir === "down") line.push([SIZE - 1 - j, i]);
      }
      result.push(line);
    }
    return result;
  }

  function move(dir) {
    var changed = false;
    lines(dir).forEach(function (line) {
      var before = line.map(function (p) { return board[p[0]][p[1]]; });
      var after = slide(before);
      line.forEach(function (p, k) {
        if (board[p[0]][p[1]] !== after[k]) changed = true;
        board[p[0]][p[1]] = after[k];
      });
    });
    if (changed) { addTile(); render(); }
  }

  function canMove() {
    if (empty().length) return true;
    for (var r = 0; r < SIZE; r++) for (var c = 0; c < SIZE; c++) {
      if (c + 1 < SIZE && board[r][c] === board[r][c + 1]) return true;
      if (r + 1 < SIZE && board[r][c] === board[r + 1][c]) return true;
    }
    return false;
  }

  function render() {
    boardEl.innerHTML = "";
    var top = 0;
    board.forEach(function (row) {
      row.forEach(function (v) {
        var cell = document.createElement("div");
        cell.className = "cell" + (v ? " t" + (v > 2048 ? "big" : v) : "");
        cell.textContent = v || "";
        boardEl.appendChild(cell);
        top = Math.max(top, v);
      });
    });
    best = Math.max(best, score);
    localStorage.setItem("play2048-best", String(best));
    document.getElementById("score").textContent = score;
    document.getElementById("best").textContent = best;
    document.getElementById("message").textContent =
      top >= 2048 ? "You win! Keep going." : (canMove() ? "" : "Game over.");
  }

  function newGame() {
    board = [];
    for (var r = 0; r < SIZE; r++) board.push([0, 0, 0, 0]);
    score = 0;
    addTile();
    addTile();
    render();
  }

  var KEYS = { ArrowLeft: "left", ArrowRight: "right", ArrowUp: "up", ArrowDown: "down" };
  document.addEventListener("keydown", function (e) {
    if (KEYS[e.key]) { e.preventDefault(); move(KEYS[e.key]); }
  });
  var start = null;
  boardEl.addEventListener("touchstart", function (e) { start = e.touches[0]; });
  boardEl.addEventListener("touchend", function (e) {
    if (!start) return;
    var dx = e.changedTouches[0].clientX - start.clientX, dy = e.changedTouches[0].clientY - start.clientY;
    if (Math.max(Math.abs(dx), Math.abs(dy)) > 20) move(Math.abs(dx) > Math.abs(dy) ? (dx > 0 ? "right" : "left") : (dy > 0 ? "down" : "up"));
    start = null;
  });
  document.getElementById("new-game").addEventListener("click", newGame);
  // Which pod served the page (nginx's X-Served-By header), to show the 5 replicas taking turns.
  fetch(location.pathname, { method: "HEAD", cache: "no-store" }).then(function (resp) {
    var pod = resp.headers.get("X-Served-By");
    if (pod) document.getElementById("served-by").textContent = pod;
  }).catch(function () {});
  window.play2048 = { move: move, newGame: newGame, board: function () { return board; } };
  newGame();
})();
