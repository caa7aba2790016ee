<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID" sourcelanguage="en_US">
<context>
    <name>App</name>
    <message>
        <source>This desktop has no system tray, so KasirBackup stays in this window. Keep it open (you may minimise it) for scheduled backups to run.</source>
        <translation>Desktop ini tidak punya baki sistem, jadi KasirBackup tetap di jendela ini. Biarkan jendela terbuka (boleh diperkecil) agar pencadangan terjadwal tetap berjalan.</translation>
    </message>
</context>
<context>
    <name>AutoExportBox</name>
    <message>
        <source>Also export after each scheduled backup</source>
        <translation>Ekspor juga setelah setiap pencadangan terjadwal</translation>
    </message>
    <message>
        <source>The files are kept next to the backups, in the folder “exports”, and removed together with their backup.</source>
        <translation>File disimpan di samping cadangan, di folder “exports”, dan dihapus bersama cadangannya.</translation>
    </message>
    <message>
        <source>Excel</source>
        <translation>Excel</translation>
    </message>
    <message>
        <source>CSV (zip)</source>
        <translation>CSV (zip)</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>SQL</source>
        <translation>SQL</translation>
    </message>
    <message>
        <source>Scheduled exports are kept in a folder on this computer or a disk; these backups are in object storage.</source>
        <translation>Ekspor terjadwal disimpan di folder di komputer ini atau di disk; cadangan ini ada di penyimpanan cloud.</translation>
    </message>
</context>
<context>
    <name>BackupDetails</name>
    <message>
        <source>Yes: what this backup added was read back and matches, and every other page is in backups already checked. A test restore checks it whole before it is restored.</source>
        <translation>Ya: yang ditambahkan cadangan ini sudah dibaca ulang dan cocok, dan setiap halaman lainnya ada di cadangan yang sudah diperiksa. Uji pemulihan memeriksanya utuh sebelum dipulihkan.</translation>
    </message>
    <message>
        <source>Yes: a test restore rebuilt this backup and found the database sound.</source>
        <translation>Ya: uji pemulihan membangun ulang cadangan ini dan database-nya dalam keadaan baik.</translation>
    </message>
    <message>
        <source>Yes: a test restore rebuilt this backup and found the database sound ({when}).</source>
        <translation>Ya: uji pemulihan membangun ulang cadangan ini dan database-nya dalam keadaan baik ({when}).</translation>
    </message>
    <message>
        <source>No: the test restore failed. Do not rely on this backup; choose another one.</source>
        <translation>Tidak: uji pemulihan gagal. Jangan mengandalkan cadangan ini; pilih cadangan lain.</translation>
    </message>
    <message>
        <source>Not checked yet.</source>
        <translation>Belum diperiksa.</translation>
    </message>
    <message>
        <source>{new} new pieces read back and matching their checksums; all {pages} pages in checked data</source>
        <translation>{new} potongan baru dibaca ulang dan cocok dengan checksum-nya; semua {pages} halaman ada di data yang sudah diperiksa</translation>
    </message>
    <message>
        <source>SQLite&apos;s full integrity check</source>
        <translation>pemeriksaan integritas penuh SQLite</translation>
    </message>
    <message>
        <source>SQLite&apos;s quick check</source>
        <translation>pemeriksaan cepat SQLite</translation>
    </message>
    <message>
        <source>the fingerprint matches</source>
        <translation>sidik jarinya cocok</translation>
    </message>
    <message>
        <source>the fingerprint was recorded</source>
        <translation>sidik jarinya dicatat</translation>
    </message>
    <message>
        <source>{pages} pages match their checksums, {sha}, {check} passed, the rows of {tables} tables counted</source>
        <translation>{pages} halaman cocok dengan checksum-nya, {sha}, {check} lolos, baris {tables} tabel dihitung</translation>
    </message>
    <message>
        <source>; {files} photos and files match ({rebuilt} rebuilt, the others in the backup before)</source>
        <translation>; {files} foto dan berkas cocok ({rebuilt} dibangun ulang, sisanya di cadangan sebelumnya)</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>Dibuat</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>Diperiksa</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Ukuran</translation>
    </message>
    <message>
        <source>Photos and files</source>
        <translation>Foto dan berkas</translation>
    </message>
    <message>
        <source>{folder}: {files} files, {size}</source>
        <translation>{folder}: {files} berkas, {size}</translation>
    </message>
    <message>
        <source>{folder}: missing when this backup was made</source>
        <translation>{folder}: tidak ada saat cadangan ini dibuat</translation>
    </message>
    <message>
        <source>Tables and rows</source>
        <translation>Tabel dan baris</translation>
    </message>
    <message>
        <source>Hide technical details</source>
        <translation>Sembunyikan detail teknis</translation>
    </message>
    <message>
        <source>Technical details</source>
        <translation>Detail teknis</translation>
    </message>
    <message>
        <source>Backup number</source>
        <translation>Nomor cadangan</translation>
    </message>
    <message>
        <source>Database file</source>
        <translation>File database</translation>
    </message>
    <message>
        <source>Computer</source>
        <translation>Komputer</translation>
    </message>
    <message>
        <source>Added to the backup folder</source>
        <translation>Ditambahkan ke folder cadangan</translation>
    </message>
    <message>
        <source>Test restore</source>
        <translation>Uji pemulihan</translation>
    </message>
    <message>
        <source>Test restore took</source>
        <translation>Lama uji pemulihan</translation>
    </message>
    <message>
        <source>Fingerprint (SHA-256)</source>
        <translation>Sidik jari (SHA-256)</translation>
    </message>
</context>
<context>
    <name>ChangePassphraseDialog</name>
    <message>
        <source>Change passphrase</source>
        <translation>Ganti frasa sandi</translation>
    </message>
    <message>
        <source>The new passphrase opens all backups in {location}, old and new. The old one stops working. Afterwards save a new recovery sheet.</source>
        <translation>Frasa sandi baru membuka semua cadangan di {location}, yang lama maupun yang baru. Frasa sandi lama tidak berlaku lagi. Setelah itu, simpan lembar pemulihan yang baru.</translation>
    </message>
    <message>
        <source>&amp;Current passphrase:</source>
        <translation>Frasa sandi &amp;saat ini:</translation>
    </message>
    <message>
        <source>Known to this computer; you may leave it empty</source>
        <translation>Sudah diketahui komputer ini; boleh dikosongkan</translation>
    </message>
    <message>
        <source>&amp;New passphrase:</source>
        <translation>Frasa sandi &amp;baru:</translation>
    </message>
    <message>
        <source>&amp;Type it again:</source>
        <translation>&amp;Ketik sekali lagi:</translation>
    </message>
    <message>
        <source>At least {n} characters. A few unrelated words are easy to remember and hard to guess.</source>
        <translation>Paling sedikit {n} karakter. Beberapa kata yang tidak saling berhubungan mudah diingat dan sulit ditebak.</translation>
    </message>
    <message>
        <source>Too short: at least {n} characters.</source>
        <translation>Terlalu pendek: paling sedikit {n} karakter.</translation>
    </message>
    <message>
        <source>Weak: easy to guess. Add a few more words.</source>
        <translation>Lemah: mudah ditebak. Tambahkan beberapa kata lagi.</translation>
    </message>
    <message>
        <source>Fair. A longer passphrase is stronger.</source>
        <translation>Cukup. Frasa sandi yang lebih panjang lebih kuat.</translation>
    </message>
    <message>
        <source>Strong.</source>
        <translation>Kuat.</translation>
    </message>
    <message>
        <source>The two passphrases are not the same yet.</source>
        <translation>Kedua frasa sandi belum sama.</translation>
    </message>
    <message>
        <source>The passphrases match.</source>
        <translation>Frasa sandi sudah cocok.</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Ganti</translation>
    </message>
    <message>
        <source>Type the current passphrase.</source>
        <translation>Ketik frasa sandi saat ini.</translation>
    </message>
</context>
<context>
    <name>ClosePage</name>
    <message>
        <source>Close the POS application</source>
        <translation>Tutup aplikasi kasir</translation>
    </message>
    <message>
        <source>The database must not be in use while it is restored.</source>
        <translation>Database tidak boleh sedang dipakai selama dipulihkan.</translation>
    </message>
    <message>
        <source>Restore now</source>
        <translation>Pulihkan sekarang</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Coba lagi</translation>
    </message>
    <message>
        <source>Restore anyway…</source>
        <translation>Tetap pulihkan…</translation>
    </message>
    <message>
        <source>Close the POS application, and any other program that uses {name}, on this computer (and on other computers that share the database). Then press “Restore now”.

KasirBackup first checks that no program is using the database, then takes a safety backup of it as it is now, so this restore can be undone. Nothing is changed until then.</source>
        <translation>Tutup aplikasi kasir, dan program lain yang memakai {name}, di komputer ini (dan di komputer lain yang memakai database yang sama). Lalu tekan “Pulihkan sekarang”.

KasirBackup lebih dulu memastikan tidak ada program yang memakai database, lalu membuat cadangan pengaman dari database seperti sekarang, sehingga pemulihan ini bisa dibatalkan. Sebelum itu tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>the whole database is replaced</source>
        <translation>seluruh database diganti</translation>
    </message>
    <message>
        <source>rows deleted since the backup are brought back</source>
        <translation>baris yang dihapus sejak cadangan dibuat dikembalikan</translation>
    </message>
    <message>
        <source>only these tables are replaced: {tables}</source>
        <translation>hanya tabel ini yang diganti: {tables}</translation>
    </message>
    <message>
        <source>Backup: {when}
Database: {path}
What happens: {what}</source>
        <translation>Cadangan: {when}
Database: {path}
Yang terjadi: {what}</translation>
    </message>
    <message>
        <source>Working out what the merge will do…</source>
        <translation>Menghitung apa yang akan dilakukan penggabungan…</translation>
    </message>
    <message>
        <source>Checking that no program is using the database…</source>
        <translation>Memastikan tidak ada program yang memakai database…</translation>
    </message>
    <message>
        <source>Restore while the program is open?</source>
        <translation>Pulihkan selagi program masih terbuka?</translation>
    </message>
    <message>
        <source>The program that has the database open keeps its own numbering and its own copy of the data. After the restore it may give new sales numbers it already gave to other sales, and those sales could then be mixed up or lost.

Restore anyway only if you cannot close it, and restart it right after the restore.</source>
        <translation>Program yang membuka database menyimpan penomorannya sendiri dan salinan datanya sendiri. Setelah pemulihan, program itu bisa memberi nomor transaksi yang sudah pernah dipakai untuk transaksi lain, sehingga transaksi itu bisa tercampur atau hilang.

Tetap pulihkan hanya jika program itu tidak bisa ditutup, dan jalankan ulang program itu segera setelah pemulihan.</translation>
    </message>
    <message>
        <source>Restore anyway</source>
        <translation>Tetap pulihkan</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Something went wrong</source>
        <translation>Terjadi masalah</translation>
    </message>
    <message>
        <source>KasirBackup met an unexpected problem. Your database and your backups were not changed by it. If it happens again, send the details to whoever helps you with the computer.</source>
        <translation>KasirBackup mengalami masalah tak terduga. Database dan cadangan Anda tidak berubah karenanya. Jika terjadi lagi, kirimkan detailnya kepada orang yang membantu Anda mengurus komputer.</translation>
    </message>
    <message>
        <source>Log file: {path}</source>
        <translation>File log: {path}</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Salin detail</translation>
    </message>
</context>
<context>
    <name>DatabasePage</name>
    <message>
        <source>Which database should be backed up?</source>
        <translation>Database mana yang akan dicadangkan?</translation>
    </message>
    <message>
        <source>Pick the database file of your cash register or bookkeeping program.</source>
        <translation>Pilih file database aplikasi kasir atau program pembukuan Anda.</translation>
    </message>
    <message>
        <source>It is usually a file named like kasir.db, pos.db or database.sqlite in the program&apos;s folder. Backups are taken while the program keeps running.</source>
        <translation>Biasanya berupa file bernama seperti kasir.db, pos.db, atau database.sqlite di folder programnya. Cadangan dibuat tanpa perlu menutup program.</translation>
    </message>
    <message>
        <source>The database file, for example D:\Toko\kasir.db</source>
        <translation>File database, misalnya D:\Toko\kasir.db</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Telusuri…</translation>
    </message>
    <message>
        <source>Databases found on this computer</source>
        <translation>Database yang ditemukan di komputer ini</translation>
    </message>
    <message>
        <source>Try with a sample shop database</source>
        <translation>Coba dengan database toko contoh</translation>
    </message>
    <message>
        <source>Not ready to use the real one? A demo minimart database is made in KasirBackup&apos;s own folder, so you can see backups and restores work without touching your shop&apos;s data.</source>
        <translation>Belum siap memakai yang asli? Database minimarket contoh dibuat di folder KasirBackup sendiri, jadi Anda bisa melihat cara kerja pencadangan dan pemulihan tanpa menyentuh data toko Anda.</translation>
    </message>
    <message>
        <source>Checking the file…</source>
        <translation>Memeriksa file…</translation>
    </message>
    <message>
        <source>No database chosen yet.</source>
        <translation>Belum ada database yang dipilih.</translation>
    </message>
    <message>
        <source>{table} ({rows} rows)</source>
        <translation>{table} ({rows} baris)</translation>
    </message>
    <message>
        <source>and {n} more</source>
        <translation>dan {n} lainnya</translation>
    </message>
    <message>
        <source>{name}: {size}, {n} tables: {tables}.</source>
        <translation>{name}: {size}, {n} tabel: {tables}.</translation>
    </message>
    <message>
        <source>Note: this database is already backed up as “{name}”.</source>
        <translation>Catatan: database ini sudah dicadangkan sebagai “{name}”.</translation>
    </message>
    <message>
        <source>Pictures and documents found beside the database. Back them up with it, so that a restore brings them back too:</source>
        <translation>Gambar dan dokumen yang ditemukan di samping database. Cadangkan bersama database, agar pemulihan juga mengembalikannya:</translation>
    </message>
    <message>
        <source>{folder} ({files} files, {size})</source>
        <translation>{folder} ({files} berkas, {size})</translation>
    </message>
    <message>
        <source>Making the sample database…</source>
        <translation>Membuat database contoh…</translation>
    </message>
    <message>
        <source>already backed up as “{name}”</source>
        <translation>sudah dicadangkan sebagai “{name}”</translation>
    </message>
    <message>
        <source>Stop searching</source>
        <translation>Hentikan pencarian</translation>
    </message>
    <message>
        <source>Search again</source>
        <translation>Cari lagi</translation>
    </message>
    <message>
        <source>Looking for databases in the usual folders…</source>
        <translation>Mencari database di folder yang biasa dipakai…</translation>
    </message>
    <message>
        <source>The search was stopped. Use Browse… to pick the file.</source>
        <translation>Pencarian dihentikan. Gunakan Telusuri… untuk memilih file.</translation>
    </message>
    <message>
        <source>No database was found in the usual folders. Use Browse… to pick the file.</source>
        <translation>Tidak ada database di folder yang biasa dipakai. Gunakan Telusuri… untuk memilih file.</translation>
    </message>
    <message>
        <source>Found {n}. Click the one your program uses.</source>
        <translation>Ditemukan {n}. Klik yang dipakai program Anda.</translation>
    </message>
    <message>
        <source>(The search stopped after the usual folders took too long; if yours is not listed, use Browse….)</source>
        <translation>(Pencarian berhenti karena folder yang biasa dipakai terlalu lama diperiksa; jika database Anda tidak ada di daftar, gunakan Telusuri….)</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export data</source>
        <extracomment>the choices of the format box: (key, engine format, file suffix; &quot;&quot; for a folder)</extracomment>
        <translation>Ekspor data</translation>
    </message>
    <message>
        <source>Save the data of {name} in files other programs open: Excel for the accountant, CSV or JSON for another system, SQL for the sqlite3 program.</source>
        <translation>Simpan data {name} dalam file yang bisa dibuka program lain: Excel untuk akuntan, CSV atau JSON untuk sistem lain, SQL untuk program sqlite3.</translation>
    </message>
    <message>
        <source>What to export</source>
        <translation>Yang diekspor</translation>
    </message>
    <message>
        <source>The database as it is now</source>
        <translation>Database seperti sekarang</translation>
    </message>
    <message>
        <source>A backup:</source>
        <translation>Cadangan:</translation>
    </message>
    <message>
        <source>Loading the backups…</source>
        <translation>Memuat daftar cadangan…</translation>
    </message>
    <message>
        <source>Excel workbook (.xlsx): one sheet per table</source>
        <translation>Buku kerja Excel (.xlsx): satu lembar per tabel</translation>
    </message>
    <message>
        <source>CSV files: one per table, in a new folder</source>
        <translation>File CSV: satu per tabel, di folder baru</translation>
    </message>
    <message>
        <source>CSV files in one ZIP file (.zip)</source>
        <translation>File CSV dalam satu file ZIP (.zip)</translation>
    </message>
    <message>
        <source>JSON (.json): all tables with their description</source>
        <translation>JSON (.json): semua tabel beserta keterangannya</translation>
    </message>
    <message>
        <source>SQL (.sql): loads into a new database with sqlite3</source>
        <translation>SQL (.sql): dapat dimuat ke database baru dengan sqlite3</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Pilih…</translation>
    </message>
    <message>
        <source>Save as:</source>
        <translation>Simpan sebagai:</translation>
    </message>
    <message>
        <source>Tables</source>
        <translation>Tabel</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>Pilih semua</translation>
    </message>
    <message>
        <source>Select none</source>
        <translation>Kosongkan pilihan</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Buka folder</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Ekspor</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>No backups yet</source>
        <translation>Belum ada cadangan</translation>
    </message>
    <message>
        <source>{when} · {kind} · {id}</source>
        <translation>{when} · {kind} · {id}</translation>
    </message>
    <message>
        <source>Scheduled exports are not made for encrypted backups: the exported files would not be encrypted.</source>
        <translation>Ekspor terjadwal tidak dibuat untuk cadangan terenkripsi: file hasil ekspornya tidak akan terenkripsi.</translation>
    </message>
    <message>
        <source>The export will hold the data as it was in this backup ({kind}, {when}): sales and changes made after it are not in it. To export everything up to now, choose “The database as it is now”.</source>
        <translation>Ekspor akan berisi data seperti pada cadangan ini ({kind}, {when}): penjualan dan perubahan sesudahnya tidak ada di dalamnya. Untuk mengekspor semuanya sampai sekarang, pilih “Database seperti sekarang”.</translation>
    </message>
    <message>
        <source>Reading the list of tables…</source>
        <translation>Membaca daftar tabel…</translation>
    </message>
    <message>
        <source>{table} ({rows} rows)</source>
        <translation>{table} ({rows} baris)</translation>
    </message>
    <message>
        <source>Choose where to create the CSV folder</source>
        <translation>Pilih tempat membuat folder CSV</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Buku kerja Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>ZIP file (*.zip)</source>
        <translation>File ZIP (*.zip)</translation>
    </message>
    <message>
        <source>JSON file (*.json)</source>
        <translation>File JSON (*.json)</translation>
    </message>
    <message>
        <source>SQL file (*.sql)</source>
        <translation>File SQL (*.sql)</translation>
    </message>
    <message>
        <source>Save the export as</source>
        <translation>Simpan hasil ekspor sebagai</translation>
    </message>
    <message>
        <source>Choose where to save the export.</source>
        <translation>Pilih tempat menyimpan hasil ekspor.</translation>
    </message>
    <message>
        <source>Tick at least one table to export.</source>
        <translation>Centang paling sedikit satu tabel untuk diekspor.</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Mengekspor…</translation>
    </message>
    <message>
        <source>KasirBackup export</source>
        <translation>Ekspor KasirBackup</translation>
    </message>
    <message>
        <source>Exported at</source>
        <translation>Diekspor pada</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>Cadangan</translation>
    </message>
    <message>
        <source>the database itself (a consistent copy taken at export time)</source>
        <translation>database itu sendiri (salinan utuh yang diambil saat ekspor)</translation>
    </message>
    <message>
        <source>Backup time</source>
        <translation>Waktu cadangan</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Tabel</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>Lembar</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Baris</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Jumlah</translation>
    </message>
    <message>
        <source>Not exported</source>
        <translation>Tidak diekspor</translation>
    </message>
    <message>
        <source>KasirBackup keeps here what it needs to import this workbook back exactly. Leave this sheet as it is.</source>
        <translation>Di sini KasirBackup menyimpan yang diperlukan untuk mengimpor kembali buku kerja ini dengan tepat. Biarkan lembar ini apa adanya.</translation>
    </message>
    <message>
        <source>Waiting for the backup that is running to finish…</source>
        <translation>Menunggu pencadangan yang sedang berjalan selesai…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Membatalkan…</translation>
    </message>
    <message>
        <source>Saved in the folder {path}</source>
        <translation>Disimpan di folder {path}</translation>
    </message>
    <message>
        <source>Saved as {path}</source>
        <translation>Disimpan sebagai {path}</translation>
    </message>
    <message>
        <source>Exported {tables} tables, {rows} rows ({size}).</source>
        <translation>Diekspor: {tables} tabel, {rows} baris ({size}).</translation>
    </message>
    <message>
        <source>Not exported: {table} (a search index; the SQL export includes it)</source>
        <translation>Tidak diekspor: {table} (indeks pencarian; ekspor SQL menyertakannya)</translation>
    </message>
    <message>
        <source>Export cancelled; no file was left behind.</source>
        <translation>Ekspor dibatalkan; tidak ada file yang tertinggal.</translation>
    </message>
</context>
<context>
    <name>FirstBackupPage</name>
    <message>
        <source>The first backup</source>
        <translation>Cadangan pertama</translation>
    </message>
    <message>
        <source>KasirBackup copies the database, then restores the copy as a test to be sure it can be used.</source>
        <translation>KasirBackup menyalin database, lalu memulihkan salinannya sebagai uji coba untuk memastikan cadangan bisa dipakai.</translation>
    </message>
    <message>
        <source>You are protected</source>
        <translation>Anda terlindungi</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Coba lagi</translation>
    </message>
    <message>
        <source>Preparing the backup folder…</source>
        <translation>Menyiapkan folder cadangan…</translation>
    </message>
    <message>
        <source>A backup of this database is running already; waiting for it…</source>
        <translation>Pencadangan database ini sedang berjalan; menunggu sampai selesai…</translation>
    </message>
    <message>
        <source>The first backup did not succeed: {detail}</source>
        <translation>Pencadangan pertama tidak berhasil: {detail}</translation>
    </message>
    <message>
        <source>The backup was stopped; nothing was changed.</source>
        <translation>Pencadangan dihentikan; tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>Database: {db}
Backups: {repo}
Schedule: {when}</source>
        <translation>Database: {db}
Cadangan: {repo}
Jadwal: {when}</translation>
    </message>
    <message>
        <source>The backup was checked by a test restore. The next one runs by itself on {when}. KasirBackup waits in the tray next to the clock and starts again when you log in.</source>
        <translation>Cadangan sudah diperiksa dengan uji pemulihan. Pencadangan berikutnya berjalan sendiri pada {when}. KasirBackup menunggu di baki sistem dekat jam dan berjalan lagi saat Anda masuk.</translation>
    </message>
    <message>
        <source>The backup was checked by a test restore. The next one runs on {when}, but only while KasirBackup is running: it does not start by itself after the computer restarts.</source>
        <translation>Cadangan sudah diperiksa dengan uji pemulihan. Pencadangan berikutnya berjalan pada {when}, tetapi hanya selama KasirBackup berjalan: KasirBackup tidak berjalan sendiri setelah komputer dinyalakan ulang.</translation>
    </message>
    <message>
        <source>The database is set up and will be backed up on schedule; try again now, or finish and look at the main window.</source>
        <translation>Database sudah diatur dan akan dicadangkan sesuai jadwal; coba lagi sekarang, atau selesaikan dan lihat jendela utama.</translation>
    </message>
    <message>
        <source>This computer has no secure credential store, so the passphrase is kept in memory only. After a restart KasirBackup will ask for it again before the next backup.</source>
        <translation>Komputer ini tidak punya penyimpanan kredensial yang aman, jadi frasa sandi hanya disimpan di memori. Setelah dimulai ulang, KasirBackup akan menanyakannya lagi sebelum pencadangan berikutnya.</translation>
    </message>
</context>
<context>
    <name>FolderPage</name>
    <message>
        <source>Where should the backups be kept?</source>
        <translation>Di mana cadangan akan disimpan?</translation>
    </message>
    <message>
        <source>Best on a USB disk or another drive: a backup on the database&apos;s own disk is lost together with it.</source>
        <translation>Paling baik di disk USB atau drive lain: cadangan di disk yang sama dengan database akan ikut hilang bersamanya.</translation>
    </message>
    <message>
        <source>Suggested places:</source>
        <translation>Tempat yang disarankan:</translation>
    </message>
    <message>
        <source>A folder, for example E:\KasirBackup</source>
        <translation>Sebuah folder, misalnya E:\KasirBackup</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Telusuri…</translation>
    </message>
    <message>
        <source>Encrypt the backups with a passphrase</source>
        <translation>Enkripsi cadangan dengan frasa sandi</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>Frasa sandi:</translation>
    </message>
    <message>
        <source>Repeat:</source>
        <translation>Ulangi:</translation>
    </message>
    <message>
        <source>Write the passphrase down and keep it somewhere safe. Without it nobody can restore these backups — not even you. KasirBackup keeps it in this computer&apos;s credential store, never in a plain file.</source>
        <translation>Catat frasa sandi dan simpan di tempat yang aman. Tanpanya tidak ada yang bisa memulihkan cadangan ini — bahkan Anda sendiri. KasirBackup menyimpannya di penyimpanan kredensial komputer ini, tidak pernah di file biasa.</translation>
    </message>
    <message>
        <source>USB disk {label}</source>
        <translation>Disk USB {label}</translation>
    </message>
    <message>
        <source>Drive {label}</source>
        <translation>Drive {label}</translation>
    </message>
    <message>
        <source>Network drive {label}</source>
        <translation>Drive jaringan {label}</translation>
    </message>
    <message>
        <source>Your {label} folder</source>
        <translation>Folder {label} Anda</translation>
    </message>
    <message>
        <source>KasirBackup&apos;s own folder</source>
        <translation>Folder KasirBackup sendiri</translation>
    </message>
    <message>
        <source>{size} free</source>
        <translation>{size} kosong</translation>
    </message>
    <message>
        <source>Another disk: the backups survive if the computer&apos;s disk fails.</source>
        <translation>Disk lain: cadangan tetap selamat jika disk komputer rusak.</translation>
    </message>
    <message>
        <source>Same disk as the database: protects against mistakes, not against a disk failure.</source>
        <translation>Disk yang sama dengan database: melindungi dari kesalahan, bukan dari kerusakan disk.</translation>
    </message>
    <message>
        <source>“{path}” is not a complete folder path. Use Browse… to pick the folder, or type its full path (for example E:\KasirBackup).</source>
        <translation>“{path}” bukan alamat folder yang lengkap. Gunakan Telusuri… untuk memilih folder, atau ketik alamat lengkapnya (misalnya E:\KasirBackup).</translation>
    </message>
    <message>
        <source>Checking the folder…</source>
        <translation>Memeriksa folder…</translation>
    </message>
    <message>
        <source>Pick a folder for the backups.</source>
        <translation>Pilih folder untuk cadangan.</translation>
    </message>
    <message>
        <source>This folder already holds KasirBackup backups; the new ones are added to them: {path}</source>
        <translation>Folder ini sudah berisi cadangan KasirBackup; cadangan baru ditambahkan ke sana: {path}</translation>
    </message>
    <message>
        <source>They are encrypted: you will be asked for their passphrase.</source>
        <translation>Cadangan itu terenkripsi: Anda akan diminta frasa sandinya.</translation>
    </message>
    <message>
        <source>The backups will be kept in {path}</source>
        <translation>Cadangan akan disimpan di {path}</translation>
    </message>
    <message>
        <source>({size} free)</source>
        <translation>({size} kosong)</translation>
    </message>
    <message>
        <source>This folder is on the same disk as the database. It protects against mistakes (deleted sales, a damaged file) but not against a disk failure or a stolen computer. A USB disk or another drive is safer; you can add an off-site copy later in Settings.</source>
        <translation>Folder ini ada di disk yang sama dengan database. Ini melindungi dari kesalahan (penjualan terhapus, file rusak), tetapi tidak dari kerusakan disk atau komputer yang dicuri. Disk USB atau drive lain lebih aman; nanti Anda bisa menambahkan salinan di tempat lain di Pengaturan.</translation>
    </message>
    <message>
        <source>At least {n} characters. A few unrelated words are easy to remember and hard to guess.</source>
        <translation>Paling sedikit {n} karakter. Beberapa kata yang tidak saling berhubungan mudah diingat dan sulit ditebak.</translation>
    </message>
    <message>
        <source>Too short: at least {n} characters.</source>
        <translation>Terlalu pendek: paling sedikit {n} karakter.</translation>
    </message>
    <message>
        <source>Type the same passphrase again in the second field.</source>
        <translation>Ketik frasa sandi yang sama sekali lagi di kolom kedua.</translation>
    </message>
    <message>
        <source>The passphrases match.</source>
        <translation>Frasa sandi sudah cocok.</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>History</source>
        <translation>Riwayat</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>&amp;Database:</translation>
    </message>
    <message>
        <source>&amp;What:</source>
        <translation>&amp;Jenis:</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>Semua</translation>
    </message>
    <message>
        <source>Restores and undos</source>
        <translation>Pemulihan dan pembatalan</translation>
    </message>
    <message>
        <source>Removal of old backups</source>
        <translation>Penghapusan cadangan lama</translation>
    </message>
    <message>
        <source>&amp;Result:</source>
        <translation>&amp;Hasil:</translation>
    </message>
    <message>
        <source>All results</source>
        <translation>Semua hasil</translation>
    </message>
    <message>
        <source>Failed or interrupted</source>
        <translation>Gagal atau terputus</translation>
    </message>
    <message>
        <source>All databases</source>
        <translation>Semua database</translation>
    </message>
    <message>
        <source>Open &amp;log file</source>
        <translation>Buka file &amp;log</translation>
    </message>
    <message>
        <source>The technical details of every run, for whoever helps you</source>
        <translation>Detail teknis setiap pencadangan, untuk orang yang membantu Anda</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>&amp;Segarkan</translation>
    </message>
    <message>
        <source>{shown} of {total} entries</source>
        <translation>{shown} dari {total} catatan</translation>
    </message>
    <message>
        <source>{total} entries</source>
        <translation>{total} catatan</translation>
    </message>
    <message>
        <source>Nothing recorded yet.</source>
        <translation>Belum ada yang tercatat.</translation>
    </message>
    <message>
        <source>Select an entry to see its details.</source>
        <translation>Pilih satu baris untuk melihat detailnya.</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Mulai</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Lama</translation>
    </message>
    <message>
        <source>Started by</source>
        <translation>Dimulai oleh</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Hasil</translation>
    </message>
    <message>
        <source>Added to the backup folder</source>
        <translation>Ditambahkan ke folder cadangan</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>Cadangan</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Pesan</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Yang terjadi</translation>
    </message>
    <message>
        <source>Backup folder</source>
        <translation>Folder cadangan</translation>
    </message>
    <message>
        <source>File read</source>
        <translation>File yang dibaca</translation>
    </message>
    <message>
        <source>File written</source>
        <translation>File yang ditulis</translation>
    </message>
    <message>
        <source>Safety backup</source>
        <translation>Cadangan pengaman</translation>
    </message>
    <message>
        <source>There is no log file yet. KasirBackup writes one when the app runs; it holds the technical details of every problem.</source>
        <translation>Belum ada file log. KasirBackup menulisnya selama aplikasi berjalan; isinya detail teknis setiap masalah.</translation>
    </message>
    <message>
        <source>Log file</source>
        <translation>File log</translation>
    </message>
    <message>
        <source>The log file could not be opened here. It is at: {path}</source>
        <translation>File log tidak bisa dibuka di sini. Lokasinya: {path}</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Started</source>
        <translation>Mulai</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>Started by</source>
        <translation>Dimulai oleh</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Hasil</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Ditambahkan</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Pesan</translation>
    </message>
</context>
<context>
    <name>HowPage</name>
    <message>
        <source>How to restore</source>
        <translation>Cara memulihkan</translation>
    </message>
    <message>
        <source>Choose what to do with the backup. Except for the copy, a safety backup of the database is taken first, so the restore can be undone.</source>
        <translation>Pilih apa yang dilakukan dengan cadangan ini. Kecuali untuk salinan, cadangan pengaman database dibuat lebih dulu, sehingga pemulihan bisa dibatalkan.</translation>
    </message>
    <message>
        <source>Replace the current database</source>
        <translation>Ganti database yang sekarang</translation>
    </message>
    <message>
        <source>Restore as a copy in a new file</source>
        <translation>Pulihkan sebagai salinan di file baru</translation>
    </message>
    <message>
        <source>Restore only the selected tables</source>
        <translation>Pulihkan hanya tabel yang dipilih</translation>
    </message>
    <message>
        <source>Bring back deleted rows (merge)</source>
        <translation>Kembalikan baris yang terhapus (gabungkan)</translation>
    </message>
    <message>
        <source>The database is not touched. The backup is written to a new file, for example to look something up.</source>
        <translation>Database tidak disentuh. Cadangan ditulis ke file baru, misalnya untuk mencari sesuatu.</translation>
    </message>
    <message>
        <source>The chosen tables are put back as they were in the backup; the other tables stay as they are now.</source>
        <translation>Tabel yang dipilih dikembalikan seperti di cadangan; tabel lain tetap seperti sekarang.</translation>
    </message>
    <message>
        <source>Rows deleted since the backup come back. Rows added or changed since are kept as they are now.</source>
        <translation>Baris yang dihapus sejak cadangan dibuat akan kembali. Baris yang ditambahkan atau diubah sejak itu tetap seperti sekarang.</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Telusuri…</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Tabel</translation>
    </message>
    <message>
        <source>Rows in the backup</source>
        <translation>Baris di cadangan</translation>
    </message>
    <message>
        <source>Rows now</source>
        <translation>Baris sekarang</translation>
    </message>
    <message>
        <source>Where to save the copy (a new file)</source>
        <translation>Tempat menyimpan salinan (file baru)</translation>
    </message>
    <message>
        <source>The whole database becomes exactly as it was on {when}.</source>
        <translation>Seluruh database menjadi persis seperti pada {when}.</translation>
    </message>
    <message>
        <source>{n} rows added since then are removed.</source>
        <translation>{n} baris yang ditambahkan sejak itu dihapus.</translation>
    </message>
    <message>
        <source>{n} rows changed since then are set back.</source>
        <translation>{n} baris yang diubah sejak itu dikembalikan.</translation>
    </message>
    <message>
        <source>Save the copy</source>
        <translation>Simpan salinan</translation>
    </message>
    <message>
        <source>This backup looks like it is from another database, so it can only be restored as a copy (or go back and confirm that you are sure).</source>
        <translation>Cadangan ini tampaknya dari database lain, jadi hanya bisa dipulihkan sebagai salinan (atau kembali dan tegaskan bahwa Anda yakin).</translation>
    </message>
    <message>
        <source>Save the copy as</source>
        <translation>Simpan salinan sebagai</translation>
    </message>
    <message>
        <source>SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)</source>
        <translation>Database SQLite (*.db *.sqlite *.sqlite3);;Semua file (*)</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import data</source>
        <translation>Impor data</translation>
    </message>
    <message>
        <source>Bring rows from an exported file (JSON, Excel or CSV) back into {name}. First you see what would change; nothing is changed until you confirm.</source>
        <translation>Masukkan kembali baris dari file hasil ekspor (JSON, Excel, atau CSV) ke {name}. Anda melihat dulu apa yang akan berubah; tidak ada yang diubah sebelum Anda setuju.</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>File:</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Pilih…</translation>
    </message>
    <message>
        <source>Merge: add the new rows and update the changed ones (by their key); rows that are not in the file stay</source>
        <translation>Gabungkan: tambahkan baris baru dan perbarui yang berubah (menurut kuncinya); baris yang tidak ada di file tetap ada</translation>
    </message>
    <message>
        <source>Replace: each table in the file gets exactly the file&apos;s rows; its rows that are not in the file are removed</source>
        <translation>Ganti: setiap tabel di file berisi persis baris dari file; barisnya yang tidak ada di file dihapus</translation>
    </message>
    <message>
        <source>I checked it: import this file into {name} anyway</source>
        <translation>Sudah saya periksa: tetap impor file ini ke {name}</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Tabel</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Baru</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Diubah</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>Tidak berubah</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Dihapus</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Ditolak</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Pratinjau</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Impor…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Choose the file to import</source>
        <translation>Pilih file yang akan diimpor</translation>
    </message>
    <message>
        <source>Files exported by KasirBackup (*.csv *.json *.xlsx *.zip)</source>
        <translation>File ekspor KasirBackup (*.csv *.json *.xlsx *.zip)</translation>
    </message>
    <message>
        <source>Reading the file and trying the import on a copy of the database…</source>
        <translation>Membaca file dan mencoba impor pada salinan database…</translation>
    </message>
    <message>
        <source>{count} rows of the file cannot go into the database; the reasons are listed above. Fix the file and preview again. Nothing was changed.</source>
        <translation>{count} baris dari file tidak bisa masuk ke database; alasannya tercantum di atas. Perbaiki file lalu lihat pratinjau lagi. Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>The database already holds every row of the file: importing would change nothing.</source>
        <translation>Database sudah berisi semua baris dari file: impor tidak akan mengubah apa pun.</translation>
    </message>
    <message>
        <source>Preview: {rows} rows would change. Nothing was changed yet; press “Import…” to do it.</source>
        <translation>Pratinjau: {rows} baris akan berubah. Belum ada yang diubah; tekan “Impor…” untuk melakukannya.</translation>
    </message>
    <message>
        <source>{what} Check that you picked the right file and that it belongs in this database.</source>
        <translation>{what} Pastikan Anda memilih file yang benar dan file itu memang untuk database ini.</translation>
    </message>
    <message>
        <source>Nothing was changed. Tick the box only if you are sure, then preview again.</source>
        <translation>Tidak ada yang diubah. Centang kotaknya hanya jika Anda yakin, lalu lihat pratinjau lagi.</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Impor</translation>
    </message>
    <message>
        <source>Rejected in {table}: {reason}</source>
        <translation>Ditolak di {table}: {reason}</translation>
    </message>
    <message>
        <source>Rejected in {table}: … and {count} more</source>
        <translation>Ditolak di {table}: … dan {count} lainnya</translation>
    </message>
    <message>
        <source>Note on {table}: {note}</source>
        <translation>Catatan untuk {table}: {note}</translation>
    </message>
    <message>
        <source>Note: {note}</source>
        <translation>Catatan: {note}</translation>
    </message>
    <message>
        <source>{table}: rows the file adds</source>
        <translation>{table}: baris yang ditambahkan file</translation>
    </message>
    <message>
        <source>{table}: rows the file changes</source>
        <translation>{table}: baris yang diubah file</translation>
    </message>
    <message>
        <source>{table}: rows that will be removed</source>
        <translation>{table}: baris yang akan dihapus</translation>
    </message>
    <message>
        <source>Import the file into {name} ({mode})? {rows} rows will change.</source>
        <translation>Impor file ke {name} ({mode})? {rows} baris akan berubah.</translation>
    </message>
    <message>
        <source>replace</source>
        <translation>ganti</translation>
    </message>
    <message>
        <source>merge</source>
        <translation>gabungkan</translation>
    </message>
    <message>
        <source>A safety backup of the database as it is now is taken first, so the import can be undone.</source>
        <translation>Cadangan pengaman database seperti sekarang dibuat lebih dulu, sehingga impor bisa dibatalkan.</translation>
    </message>
    <message>
        <source>No safety backup can be taken: this database has no backup place.</source>
        <translation>Cadangan pengaman tidak bisa dibuat: database ini tidak punya tempat cadangan.</translation>
    </message>
    <message>
        <source>The file comes from a different database (you confirmed it).</source>
        <translation>File ini berasal dari database lain (Anda sudah menegaskannya).</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Mengimpor…</translation>
    </message>
    <message>
        <source>Imported: {new} new rows, {changed} changed, {removed} removed.</source>
        <translation>Diimpor: {new} baris baru, {changed} diubah, {removed} dihapus.</translation>
    </message>
    <message>
        <source>The database as it was before is kept as the backup {id}: restore it to undo this import.</source>
        <translation>Database seperti sebelumnya disimpan sebagai cadangan {id}: pulihkan cadangan itu untuk membatalkan impor ini.</translation>
    </message>
    <message>
        <source>{problem} Close the POS application (and any other program that uses {name}), then preview and import again. Nothing was changed.</source>
        <translation>{problem} Tutup aplikasi kasir (dan program lain yang memakai {name}), lalu lihat pratinjau dan impor lagi. Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>Nothing was changed. Preview again, then import.</source>
        <translation>Tidak ada yang diubah. Lihat pratinjau lagi, lalu impor.</translation>
    </message>
    <message>
        <source>Waiting for the backup that is running to finish…</source>
        <translation>Menunggu pencadangan yang sedang berjalan selesai…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Membatalkan…</translation>
    </message>
    <message>
        <source>Cancelled; nothing was changed.</source>
        <translation>Dibatalkan; tidak ada yang diubah.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>KasirBackup</source>
        <translation>KasirBackup</translation>
    </message>
    <message>
        <source>Backup now</source>
        <translation>Cadangkan sekarang</translation>
    </message>
    <message>
        <source>Back up the chosen database now and check the backup</source>
        <translation>Cadangkan database yang dipilih sekarang dan periksa cadangannya</translation>
    </message>
    <message>
        <source>Restore…</source>
        <translation>Pulihkan…</translation>
    </message>
    <message>
        <source>Bring back the database from the selected backup</source>
        <translation>Kembalikan database dari cadangan yang dipilih</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>Periksa</translation>
    </message>
    <message>
        <source>Check the selected backup by a test restore</source>
        <translation>Periksa cadangan yang dipilih dengan uji pemulihan</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Ekspor…</translation>
    </message>
    <message>
        <source>Save the data as CSV, JSON, Excel or SQL</source>
        <translation>Simpan data sebagai CSV, JSON, Excel, atau SQL</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Impor…</translation>
    </message>
    <message>
        <source>Bring data from an exported file into the database</source>
        <translation>Masukkan data dari file hasil ekspor ke database</translation>
    </message>
    <message>
        <source>Open backup folder</source>
        <translation>Buka folder cadangan</translation>
    </message>
    <message>
        <source>Show the backup folder in the file manager</source>
        <translation>Tampilkan folder cadangan di pengelola file</translation>
    </message>
    <message>
        <source>Schedule…</source>
        <translation>Jadwal…</translation>
    </message>
    <message>
        <source>When backups run automatically</source>
        <translation>Kapan pencadangan berjalan otomatis</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Pengaturan…</translation>
    </message>
    <message>
        <source>Backup places, retention, encryption, language</source>
        <translation>Tempat cadangan, masa simpan, enkripsi, bahasa</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Riwayat</translation>
    </message>
    <message>
        <source>Every backup, restore, import, export and check with its result, and the log file</source>
        <translation>Setiap pencadangan, pemulihan, impor, ekspor, dan pemeriksaan beserta hasilnya, serta file log</translation>
    </message>
    <message>
        <source>Add database…</source>
        <translation>Tambah database…</translation>
    </message>
    <message>
        <source>Protect another database</source>
        <translation>Lindungi database lain</translation>
    </message>
    <message>
        <source>KasirBackup is still running in the tray. Quit from the tray menu to stop it.</source>
        <translation>KasirBackup masih berjalan di baki sistem. Pilih Keluar di menu baki sistem untuk menghentikannya.</translation>
    </message>
    <message>
        <source>KasirBackup is still running in the tray and will make tonight&apos;s backup at {time}. Quit from the tray menu to stop it.</source>
        <translation>KasirBackup masih berjalan di baki sistem dan akan membuat cadangan malam ini pukul {time}. Pilih Keluar di menu baki sistem untuk menghentikannya.</translation>
    </message>
    <message>
        <source>KasirBackup is still running in the tray and will make today&apos;s backup at {time}. Quit from the tray menu to stop it.</source>
        <translation>KasirBackup masih berjalan di baki sistem dan akan membuat cadangan hari ini pukul {time}. Pilih Keluar di menu baki sistem untuk menghentikannya.</translation>
    </message>
    <message>
        <source>KasirBackup is still running in the tray and will make the next backup on {when}. Quit from the tray menu to stop it.</source>
        <translation>KasirBackup masih berjalan di baki sistem dan akan membuat cadangan berikutnya pada {when}. Pilih Keluar di menu baki sistem untuk menghentikannya.</translation>
    </message>
    <message>
        <source>KasirBackup is still running</source>
        <translation>KasirBackup masih berjalan</translation>
    </message>
    <message>
        <source>Quit KasirBackup?</source>
        <translation>Keluar dari KasirBackup?</translation>
    </message>
    <message>
        <source>Quit KasirBackup? Tonight&apos;s backup at {time} of {name} will not run until you start KasirBackup again.</source>
        <translation>Keluar dari KasirBackup? Pencadangan {name} malam ini pukul {time} tidak akan berjalan sampai Anda membuka KasirBackup lagi.</translation>
    </message>
    <message>
        <source>Quit KasirBackup? Today&apos;s backup at {time} of {name} will not run until you start KasirBackup again.</source>
        <translation>Keluar dari KasirBackup? Pencadangan {name} hari ini pukul {time} tidak akan berjalan sampai Anda membuka KasirBackup lagi.</translation>
    </message>
    <message>
        <source>Quit KasirBackup? The next backup of {name}, on {when}, will not run until you start KasirBackup again.</source>
        <translation>Keluar dari KasirBackup? Pencadangan {name} berikutnya, pada {when}, tidak akan berjalan sampai Anda membuka KasirBackup lagi.</translation>
    </message>
    <message>
        <source>Scheduled backups run only while KasirBackup runs. To have them run without it, tick “Also run backups through the operating system&apos;s task scheduler” in Schedule….</source>
        <translation>Pencadangan terjadwal hanya berjalan selama KasirBackup berjalan. Agar tetap berjalan tanpanya, centang “Jalankan pencadangan juga lewat penjadwal tugas sistem operasi” di Jadwal….</translation>
    </message>
    <message>
        <source>The scheduled backups of {names} stop too.</source>
        <translation>Pencadangan terjadwal {names} juga berhenti.</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Keluar</translation>
    </message>
    <message>
        <source>Quit KasirBackup? The sales of {name} are then no longer protected within a minute, until you start KasirBackup again.</source>
        <translation>Keluar dari KasirBackup? Penjualan {name} tidak lagi terlindungi dalam satu menit sampai KasirBackup dijalankan lagi.</translation>
    </message>
    <message>
        <source>Continuous protection runs only while KasirBackup runs; it waits in the tray when you close the window.</source>
        <translation>Perlindungan terus-menerus hanya berjalan selama KasirBackup berjalan; KasirBackup menunggu di baki sistem saat jendela ditutup.</translation>
    </message>
    <message>
        <source>A backup of {name} is running now. Quit KasirBackup anyway?</source>
        <translation>Pencadangan {name} sedang berjalan. Tetap keluar dari KasirBackup?</translation>
    </message>
    <message>
        <source>“Quit now” stops the backup: nothing is changed, and the backups made before stay as they are. Or KasirBackup quits by itself as soon as the backup is done.</source>
        <translation>“Keluar sekarang” menghentikan pencadangan: tidak ada yang diubah, dan cadangan yang sudah ada tetap seperti semula. Atau KasirBackup keluar sendiri begitu pencadangan selesai.</translation>
    </message>
    <message>
        <source>Quit when it is done</source>
        <translation>Keluar setelah selesai</translation>
    </message>
    <message>
        <source>Quit now</source>
        <translation>Keluar sekarang</translation>
    </message>
    <message>
        <source>KasirBackup quits when the backup is done.</source>
        <translation>KasirBackup akan keluar setelah pencadangan selesai.</translation>
    </message>
    <message>
        <source>Stop KasirBackup (scheduled backups stop too)</source>
        <translation>Hentikan KasirBackup (pencadangan terjadwal juga berhenti)</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Tabel</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Baris</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>Cadangan</translation>
    </message>
    <message>
        <source>Filter backups…</source>
        <translation>Saring cadangan…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>No database yet. Press “Add database…” to choose the database of your POS or bookkeeping program.</source>
        <translation>Belum ada database. Tekan “Tambah database…” untuk memilih database aplikasi kasir atau pembukuan Anda.</translation>
    </message>
    <message>
        <source>{path}
Reading the database…</source>
        <translation>{path}
Membaca database…</translation>
    </message>
    <message>
        <source>{path}
Size: {size} · changed {when}</source>
        <translation>{path}
Ukuran: {size} · diubah {when}</translation>
    </message>
    <message>
        <source>There are no backups yet. Press “Backup now” to make the first one.</source>
        <translation>Belum ada cadangan. Tekan “Cadangkan sekarang” untuk membuat yang pertama.</translation>
    </message>
    <message>
        <source>A backup of this database is already running.</source>
        <translation>Pencadangan database ini sedang berjalan.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Membatalkan…</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>Mencadangkan…</translation>
    </message>
    <message>
        <source>Backup finished and verified.</source>
        <translation>Pencadangan selesai dan sudah diperiksa.</translation>
    </message>
    <message>
        <source>Backup verified; the off-site copy is still pending.</source>
        <translation>Cadangan sudah diperiksa; salinan di tempat lain masih tertunda.</translation>
    </message>
    <message>
        <source>The backup failed: {reason}</source>
        <translation>Pencadangan gagal: {reason}</translation>
    </message>
    <message>
        <source>Backup failed</source>
        <translation>Pencadangan gagal</translation>
    </message>
    <message>
        <source>Backup cancelled. Nothing was changed.</source>
        <translation>Pencadangan dibatalkan. Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>The backup folder&apos;s index was damaged or incomplete; it was rebuilt from the backup files themselves.</source>
        <translation>Indeks folder cadangan rusak atau tidak lengkap; indeks itu sudah dibangun ulang dari file-file cadangan itu sendiri.</translation>
    </message>
    <message>
        <source>Other files in the backup folder are damaged ({count}): verify the other backups too, and check the backup disk.</source>
        <translation>File lain di folder cadangan rusak ({count}): periksa juga cadangan lainnya, dan periksa disk cadangan.</translation>
    </message>
    <message>
        <source>The backup of {when} is good: it was restored in a test and checked ({detail}).</source>
        <translation>Cadangan {when} baik: sudah dipulihkan dalam uji coba dan diperiksa ({detail}).</translation>
    </message>
    <message>
        <source>Backup verified</source>
        <translation>Cadangan sudah diperiksa</translation>
    </message>
    <message>
        <source>The backup of {when} is damaged: {detail}. Use an older backup to restore, and check the backup disk.</source>
        <translation>Cadangan {when} rusak: {detail}. Gunakan cadangan yang lebih lama untuk memulihkan, dan periksa disk cadangan.</translation>
    </message>
    <message>
        <source>Backup damaged</source>
        <translation>Cadangan rusak</translation>
    </message>
    <message>
        <source>Verifying…</source>
        <translation>Memeriksa…</translation>
    </message>
    <message>
        <source>These backups are in object storage ({location}); there is no folder to open on this computer.</source>
        <translation>Cadangan ini ada di penyimpanan cloud ({location}); tidak ada folder yang bisa dibuka di komputer ini.</translation>
    </message>
    <message>
        <source>The backup folder {location} is not there. If it is on a USB disk, plug the disk in and try again.</source>
        <translation>Folder cadangan {location} tidak ditemukan. Jika ada di disk USB, colokkan disknya lalu coba lagi.</translation>
    </message>
    <message>
        <source>Could not turn on start with login: {reason}</source>
        <translation>Tidak bisa menyalakan mulai otomatis saat masuk: {reason}</translation>
    </message>
    <message>
        <source>KasirBackup now starts when you log in.</source>
        <translation>KasirBackup sekarang berjalan saat Anda masuk.</translation>
    </message>
</context>
<context>
    <name>NewPassphraseDialog</name>
    <message>
        <source>Turn on encryption</source>
        <translation>Aktifkan enkripsi</translation>
    </message>
    <message>
        <source>The backups in {location} will be encrypted with this passphrase. Without it nobody can open them — not even you. Write it down and keep it somewhere safe, away from this computer.</source>
        <translation>Cadangan di {location} akan dienkripsi dengan frasa sandi ini. Tanpa frasa sandi ini tidak ada yang bisa membukanya — termasuk Anda. Tuliskan dan simpan di tempat yang aman, jauh dari komputer ini.</translation>
    </message>
    <message>
        <source>&amp;Remember it on this computer, so scheduled backups run without asking</source>
        <translation>&amp;Ingat di komputer ini, agar pencadangan terjadwal berjalan tanpa bertanya</translation>
    </message>
    <message>
        <source>This computer has no secure credential store, so the passphrase cannot be saved on it. KasirBackup asks for it after each start and keeps it in memory only.</source>
        <translation>Komputer ini tidak memiliki penyimpanan kredensial yang aman, jadi frasa sandi tidak bisa disimpan di sini. KasirBackup memintanya setiap kali dijalankan dan hanya menyimpannya di memori.</translation>
    </message>
</context>
<context>
    <name>OnlineStorageDialog</name>
    <message>
        <source>Add online storage</source>
        <extracomment>provider name → (an address it gives, its region for that address). Names are brands (not translated).</extracomment>
        <translation>Tambah penyimpanan cloud</translation>
    </message>
    <message>
        <source>Backups are also copied to a storage bucket you rent from an online provider, so they survive a fire or a stolen computer. Your provider&apos;s console shows the address, the bucket and the keys.</source>
        <translation>Cadangan juga disalin ke bucket penyimpanan yang Anda sewa dari penyedia online, sehingga tetap aman bila terjadi kebakaran atau komputer dicuri. Konsol penyedia Anda menampilkan alamat, bucket, dan kuncinya.</translation>
    </message>
    <message>
        <source>Another S3-compatible provider</source>
        <translation>Penyedia lain yang kompatibel dengan S3</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>&amp;Penyedia:</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>&amp;Alamat:</translation>
    </message>
    <message>
        <source>&amp;Bucket:</source>
        <translation>&amp;Bucket:</translation>
    </message>
    <message>
        <source>&amp;Folder (optional):</source>
        <translation>&amp;Folder (opsional):</translation>
    </message>
    <message>
        <source>&amp;Region (optional):</source>
        <translation>&amp;Region (opsional):</translation>
    </message>
    <message>
        <source>Access &amp;key:</source>
        <translation>&amp;Kunci akses:</translation>
    </message>
    <message>
        <source>&amp;Secret key:</source>
        <translation>Kunci ra&amp;hasia:</translation>
    </message>
    <message>
        <source>for example kasir</source>
        <translation>misalnya kasir</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Uji koneksi</translation>
    </message>
    <message>
        <source>The address and the keys are kept in this computer&apos;s credential store, never in KasirBackup&apos;s settings file.</source>
        <translation>Alamat dan kunci disimpan di penyimpanan kredensial komputer ini, tidak pernah di file pengaturan KasirBackup.</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Tambah</translation>
    </message>
    <message>
        <source>The address looks like {example}. Copy it from your provider&apos;s console.</source>
        <translation>Alamatnya seperti {example}. Salin dari konsol penyedia Anda.</translation>
    </message>
    <message>
        <source>The address of the provider&apos;s S3-compatible endpoint, starting with https://. Copy it from your provider&apos;s console.</source>
        <translation>Alamat endpoint penyedia yang kompatibel dengan S3, diawali https://. Salin dari konsol penyedia Anda.</translation>
    </message>
    <message>
        <source>Type the address your provider gives, starting with https://.</source>
        <translation>Ketik alamat dari penyedia Anda, diawali https://.</translation>
    </message>
    <message>
        <source>Type the bucket&apos;s name (letters, digits, dots and hyphens).</source>
        <translation>Ketik nama bucket (huruf, angka, titik, dan tanda hubung).</translation>
    </message>
    <message>
        <source>A folder name cannot have empty parts, “.” or “..”.</source>
        <translation>Nama folder tidak boleh punya bagian kosong, “.” atau “..”.</translation>
    </message>
    <message>
        <source>The region is a short name such as ap-southeast-3, or empty.</source>
        <translation>Region adalah nama pendek seperti ap-southeast-3, atau kosong.</translation>
    </message>
    <message>
        <source>Type the access key.</source>
        <translation>Ketik kunci akses.</translation>
    </message>
    <message>
        <source>Type the secret key.</source>
        <translation>Ketik kunci rahasia.</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>Menguji koneksi…</translation>
    </message>
    <message>
        <source>Connected: the bucket can be written and read.</source>
        <translation>Terhubung: bucket bisa ditulis dan dibaca.</translation>
    </message>
    <message>
        <source>It holds KasirBackup backups already; new ones are added to them.</source>
        <translation>Sudah ada cadangan KasirBackup di sana; cadangan baru ditambahkan.</translation>
    </message>
    <message>
        <source>But the folder holds other files: type a new folder name.</source>
        <translation>Tetapi folder itu berisi file lain: ketik nama folder baru.</translation>
    </message>
    <message>
        <source>Could not connect: the secret key is wrong. Check the keys from your provider.</source>
        <translation>Tidak bisa terhubung: kunci rahasia salah. Periksa kunci dari penyedia Anda.</translation>
    </message>
    <message>
        <source>Could not connect: the provider does not know this access key. Check the keys from your provider.</source>
        <translation>Tidak bisa terhubung: penyedia tidak mengenal kunci akses ini. Periksa kunci dari penyedia Anda.</translation>
    </message>
    <message>
        <source>Could not connect: there is no bucket named {bucket} at this provider. Check the name, or create the bucket in your provider&apos;s console first.</source>
        <translation>Tidak bisa terhubung: tidak ada bucket bernama {bucket} di penyedia ini. Periksa namanya, atau buat bucket itu dulu di konsol penyedia Anda.</translation>
    </message>
    <message>
        <source>Could not connect: these keys may not write, read and delete in this bucket. Give them read and write access in your provider&apos;s console.</source>
        <translation>Tidak bisa terhubung: kunci ini tidak boleh menulis, membaca, dan menghapus di bucket ini. Beri akses baca dan tulis di konsol penyedia Anda.</translation>
    </message>
    <message>
        <source>Could not connect: the address {host} cannot be found. Check the address and the internet connection.</source>
        <translation>Tidak bisa terhubung: alamat {host} tidak ditemukan. Periksa alamat dan koneksi internet.</translation>
    </message>
    <message>
        <source>Could not connect: nothing answers at {host}. Check the address.</source>
        <translation>Tidak bisa terhubung: tidak ada yang menjawab di {host}. Periksa alamatnya.</translation>
    </message>
    <message>
        <source>Could not connect: no answer from {host}. Check the internet connection and try again.</source>
        <translation>Tidak bisa terhubung: tidak ada jawaban dari {host}. Periksa koneksi internet, lalu coba lagi.</translation>
    </message>
    <message>
        <source>Could not connect: no secure connection could be made to {host}. Check the address (https:// or http://) and the computer&apos;s date and time.</source>
        <translation>Tidak bisa terhubung: koneksi aman ke {host} tidak bisa dibuat. Periksa alamatnya (https:// atau http://) serta tanggal dan jam komputer.</translation>
    </message>
    <message>
        <source>Connected, but what was read back is not what was written. Try again; if it stays so, ask your provider.</source>
        <translation>Terhubung, tetapi yang terbaca kembali tidak sama dengan yang ditulis. Coba lagi; jika tetap begitu, tanyakan ke penyedia Anda.</translation>
    </message>
    <message>
        <source>Could not connect: the bucket or folder name is not valid.</source>
        <translation>Tidak bisa terhubung: nama bucket atau folder tidak valid.</translation>
    </message>
    <message>
        <source>Could not connect: the provider answered with an error ({code}). Try again later.</source>
        <translation>Tidak bisa terhubung: penyedia menjawab dengan kesalahan ({code}). Coba lagi nanti.</translation>
    </message>
    <message>
        <source>Saving the keys…</source>
        <translation>Menyimpan kunci…</translation>
    </message>
    <message>
        <source>This computer has no secure credential store, so the keys cannot be saved on it. Nothing was added.</source>
        <translation>Komputer ini tidak memiliki penyimpanan kredensial yang aman, jadi kunci tidak bisa disimpan di sini. Tidak ada yang ditambahkan.</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>Passphrase needed</source>
        <translation>Frasa sandi diperlukan</translation>
    </message>
    <message>
        <source>The backups in {location} are encrypted. Type the passphrase to open them.</source>
        <translation>Cadangan di {location} terenkripsi. Ketik frasa sandi untuk membukanya.</translation>
    </message>
    <message>
        <source>That passphrase does not open {location}. It is case-sensitive; try again.</source>
        <translation>Frasa sandi itu tidak bisa membuka {location}. Huruf besar dan kecil dibedakan; coba lagi.</translation>
    </message>
    <message>
        <source>Remember it in this computer&apos;s credential store</source>
        <translation>Simpan di penyimpanan kredensial komputer ini</translation>
    </message>
    <message>
        <source>This computer has no secure credential store, so KasirBackup keeps the passphrase in memory only until you quit, and never writes it to disk.</source>
        <translation>Komputer ini tidak punya penyimpanan kredensial yang aman, jadi KasirBackup hanya menyimpan frasa sandi di memori sampai Anda keluar, dan tidak pernah menulisnya ke disk.</translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <source>What would change</source>
        <translation>Yang akan berubah</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Tabel</translation>
    </message>
    <message>
        <source>Rows in the backup</source>
        <translation>Baris di cadangan</translation>
    </message>
    <message>
        <source>Rows now</source>
        <translation>Baris sekarang</translation>
    </message>
    <message>
        <source>If the whole database is restored:</source>
        <translation>Jika seluruh database dipulihkan:</translation>
    </message>
    <message>
        <source>This backup looks like it is from another database</source>
        <translation>Cadangan ini tampaknya dari database lain</translation>
    </message>
    <message>
        <source>I am sure: restore this backup into this database anyway</source>
        <translation>Saya yakin: tetap pulihkan cadangan ini ke database ini</translation>
    </message>
    <message>
        <source>Comparing the backup with the database…</source>
        <translation>Membandingkan cadangan dengan database…</translation>
    </message>
    <message>
        <source>The backup of {when} compared with {path} as it is now.</source>
        <translation>Cadangan {when} dibandingkan dengan {path} seperti sekarang.</translation>
    </message>
    <message>
        <source>Restoring it would put another database&apos;s contents in place of yours. Check that you picked the right backup and the right database. What differs:</source>
        <translation>Memulihkannya akan mengganti isi database Anda dengan isi database lain. Pastikan Anda memilih cadangan dan database yang benar. Perbedaannya:</translation>
    </message>
    <message>
        <source>Note: {text}</source>
        <translation>Catatan: {text}</translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <source>Restoring</source>
        <translation>Memulihkan</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Coba lagi</translation>
    </message>
    <message>
        <source>The backup is written to a new file. Cancel stops it; then no file is made.</source>
        <translation>Cadangan ditulis ke file baru. Batal menghentikannya, dan tidak ada file yang dibuat.</translation>
    </message>
    <message>
        <source>First a safety backup of the database is taken, then the backup is restored. Cancel during the safety backup leaves the database unchanged.</source>
        <translation>Pertama dibuat cadangan pengaman database, lalu cadangan dipulihkan. Jika Anda menekan Batal selama cadangan pengaman dibuat, database tidak berubah.</translation>
    </message>
    <message>
        <source>Safety backup of the database as it is now</source>
        <translation>Cadangan pengaman database seperti sekarang</translation>
    </message>
    <message>
        <source>Restoring the backup</source>
        <translation>Memulihkan cadangan</translation>
    </message>
    <message>
        <source>Checking the restored database</source>
        <translation>Memeriksa database hasil pemulihan</translation>
    </message>
    <message>
        <source>Writing the copy…</source>
        <translation>Menulis salinan…</translation>
    </message>
    <message>
        <source>Taking the safety backup…</source>
        <translation>Membuat cadangan pengaman…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Membatalkan…</translation>
    </message>
    <message>
        <source>Cancelled. Nothing was changed.</source>
        <translation>Dibatalkan. Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>Cancelled. The database was not changed.</source>
        <translation>Dibatalkan. Database tidak diubah.</translation>
    </message>
</context>
<context>
    <name>RecoverySheet</name>
    <message>
        <source>KasirBackup — recovery sheet</source>
        <translation>KasirBackup — lembar pemulihan</translation>
    </message>
    <message>
        <source>Backup folder id: {id}</source>
        <translation>Id folder cadangan: {id}</translation>
    </message>
    <message>
        <source>Where the backup folder was when this was printed: {location}</source>
        <translation>Lokasi folder cadangan saat lembar ini dicetak: {location}</translation>
    </message>
    <message>
        <source>Created: {created}</source>
        <translation>Dibuat: {created}</translation>
    </message>
    <message>
        <source>To restore you need: (1) the backup folder, (2) your passphrase, (3) this sheet if the file kasirbackup.json in the backup folder is lost or damaged.</source>
        <translation>Untuk memulihkan, Anda memerlukan: (1) folder cadangan, (2) frasa sandi Anda, (3) lembar ini jika file kasirbackup.json di folder cadangan hilang atau rusak.</translation>
    </message>
    <message>
        <source>The passphrase is NOT on this sheet. Without it nobody can open the backups.</source>
        <translation>Frasa sandi TIDAK tercantum di lembar ini. Tanpa frasa sandi tidak ada yang bisa membuka cadangan.</translation>
    </message>
    <message>
        <source>If kasirbackup.json is ever lost, KasirBackup puts it back from this sheet with this command:</source>
        <translation>Jika kasirbackup.json hilang, KasirBackup mengembalikannya dari lembar ini dengan perintah berikut:</translation>
    </message>
</context>
<context>
    <name>RecoverySheetDialog</name>
    <message>
        <source>Recovery sheet</source>
        <translation>Lembar pemulihan</translation>
    </message>
    <message>
        <source>Keep this recovery sheet on paper or on a USB stick, away from this computer. Together with the passphrase it opens the backups on another computer, even if the key file in the backup folder is lost. The passphrase is not on it.</source>
        <translation>Simpan lembar pemulihan ini di kertas atau di flashdisk, jauh dari komputer ini. Bersama frasa sandi, lembar ini membuka cadangan di komputer lain, meskipun file kunci di folder cadangan hilang. Frasa sandi tidak tercantum di lembar ini.</translation>
    </message>
    <message>
        <source>&amp;Save as file…</source>
        <translation>&amp;Simpan sebagai file…</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>Sa&amp;lin</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Cetak…</translation>
    </message>
    <message>
        <source>Save the recovery sheet</source>
        <translation>Simpan lembar pemulihan</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>File teks (*.txt)</translation>
    </message>
    <message>
        <source>Saved as {path}. Print it and keep it away from this computer.</source>
        <translation>Disimpan sebagai {path}. Cetak dan simpan jauh dari komputer ini.</translation>
    </message>
    <message>
        <source>Copied. Paste it into a document and keep that away from this computer.</source>
        <translation>Sudah disalin. Tempelkan ke sebuah dokumen dan simpan dokumen itu jauh dari komputer ini.</translation>
    </message>
</context>
<context>
    <name>RestoreWizard</name>
    <message>
        <source>The database {path} is in use by another program.</source>
        <translation>Database {path} sedang dipakai program lain.</translation>
    </message>
    <message>
        <source>The database {path} stayed locked by another program for {seconds} seconds.</source>
        <translation>Database {path} tetap dikunci program lain selama {seconds} detik.</translation>
    </message>
    <message>
        <source>{problem} Close the POS application (and any other program that uses {name}), then press “Undo this restore” again.</source>
        <translation>{problem} Tutup aplikasi kasir (dan program lain yang memakai {name}), lalu tekan “Batalkan pemulihan ini” lagi.</translation>
    </message>
    <message>
        <source>Photos and files in {folder}: the same as in the backup</source>
        <translation>Foto dan berkas di {folder}: sama seperti di cadangan</translation>
    </message>
    <message>
        <source>{n} rows added since the backup will be removed</source>
        <translation>{n} baris yang ditambahkan sejak cadangan akan dihapus</translation>
    </message>
    <message>
        <source>{n} rows changed since stay as they are now</source>
        <translation>{n} baris yang berubah sejak cadangan tetap seperti sekarang</translation>
    </message>
    <message>
        <source>{n} rows are not brought back: their number was given again to a newer row</source>
        <translation>{n} baris tidak dikembalikan: nomornya sudah dipakai lagi oleh baris yang lebih baru</translation>
    </message>
    <message>
        <source>{n} rows are held back: they belong to a row that is another one now</source>
        <translation>{n} baris ditahan: baris induknya sekarang sudah baris lain</translation>
    </message>
    <message>
        <source>Nothing would change: the database has the same rows as the backup.</source>
        <translation>Tidak ada yang berubah: isi database sama dengan cadangan.</translation>
    </message>
    <message>
        <source>{table} {key} is {now} now and was {then} in the backup: its number was given again; kept as it is now</source>
        <translation>{table} {key} sekarang {now}, di cadangan {then}: nomornya sudah dipakai lagi; dibiarkan seperti sekarang</translation>
    </message>
    <message>
        <source>{table} {key} belongs to {parent} {now} now and belonged to {then} in the backup: its number was given again; kept as it is now</source>
        <translation>{table} {key} sekarang milik {parent} {now}, di cadangan milik {then}: nomornya sudah dipakai lagi; dibiarkan seperti sekarang</translation>
    </message>
    <message>
        <source>{count} rows of {table} in the backup have a code that a newer row has now; not brought back</source>
        <translation>{count} baris {table} di cadangan memakai kode yang sekarang dipakai baris yang lebih baru; tidak dikembalikan</translation>
    </message>
    <message>
        <source>{table} {key} is held back: the row it belonged to is another one now</source>
        <translation>{table} {key} ditahan: baris induknya sekarang sudah baris lain</translation>
    </message>
    <message>
        <source>removed ({n})</source>
        <translation>dihapus ({n})</translation>
    </message>
    <message>
        <source>come back ({n})</source>
        <translation>kembali ({n})</translation>
    </message>
    <message>
        <source>set back ({n})</source>
        <translation>dikembalikan ke nilai lama ({n})</translation>
    </message>
    <message>
        <source>kept as now ({n})</source>
        <translation>tetap seperti sekarang ({n})</translation>
    </message>
    <message>
        <source>number given again ({n})</source>
        <translation>nomor sudah dipakai lagi ({n})</translation>
    </message>
    <message>
        <source>held back ({n})</source>
        <translation>ditahan ({n})</translation>
    </message>
    <message>
        <source>{name} files</source>
        <translation>berkas {name}</translation>
    </message>
    <message>
        <source>{problem} Close the POS application (and any other program that uses {name}), then press Retry.</source>
        <translation>{problem} Tutup aplikasi kasir (dan program lain yang memakai {name}), lalu tekan Coba lagi.</translation>
    </message>
    <message>
        <source>a program of another user</source>
        <translation>program milik pengguna lain</translation>
    </message>
    <message>
        <source>{programs} has the database {path} open.</source>
        <translation>{programs} sedang membuka database {path}.</translation>
    </message>
    <message>
        <source>KasirBackup cannot tell whether another program has the database {path} open (it may not look at the programs of other users).</source>
        <translation>KasirBackup tidak bisa memastikan apakah ada program lain yang membuka database {path} (program milik pengguna lain tidak bisa dilihat).</translation>
    </message>
    <message>
        <source>Waiting for another backup of this database to finish…</source>
        <translation>Menunggu pencadangan lain dari database ini selesai…</translation>
    </message>
    <message>
        <source>{table}: not in the database now; the restore brings it back with {n} rows</source>
        <translation>{table}: sekarang tidak ada di database; pemulihan mengembalikannya dengan {n} baris</translation>
    </message>
    <message>
        <source>{table}: created after the backup; a full restore removes it and its {n} rows</source>
        <translation>{table}: dibuat setelah cadangan; pemulihan penuh menghapusnya beserta {n} barisnya</translation>
    </message>
    <message>
        <source>{n} rows newer than the backup ({when}) will be removed</source>
        <translation>{n} baris yang lebih baru dari cadangan ({when}) akan dihapus</translation>
    </message>
    <message>
        <source>{n} rows deleted since will come back</source>
        <translation>{n} baris yang dihapus sejak itu akan kembali</translation>
    </message>
    <message>
        <source>Photos and files in {folder}: {back} to bring back, {changed} to change, {gone} to remove (those are kept in the safety backup)</source>
        <translation>Foto dan berkas di {folder}: {back} dikembalikan, {changed} diubah, {gone} dihapus (semuanya disimpan di cadangan pengaman)</translation>
    </message>
    <message>
        <source>{n} rows changed since will be set back</source>
        <translation>{n} baris yang diubah sejak itu akan dikembalikan</translation>
    </message>
    <message>
        <source>{a} rows in the backup, {b} now</source>
        <translation>{a} baris di cadangan, {b} sekarang</translation>
    </message>
    <message>
        <source>The database has the same rows as the backup.</source>
        <translation>Database berisi baris yang sama dengan cadangan.</translation>
    </message>
    <message>
        <source>Restore {database}</source>
        <translation>Pulihkan {database}</translation>
    </message>
    <message>
        <source>As of:</source>
        <translation>Per:</translation>
    </message>
    <message>
        <source>Move to the moment to go back to: the newest checked backup at or before it is chosen.</source>
        <translation>Geser ke saat yang ingin dikembalikan: cadangan terperiksa terbaru pada atau sebelum saat itu yang dipilih.</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hari ini</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Kemarin</translation>
    </message>
    <message>
        <source>{day} ({count})</source>
        <translation>{day} ({count})</translation>
    </message>
    <message>
        <source>1 backup</source>
        <translation>1 cadangan</translation>
    </message>
    <message>
        <source>{n} backups</source>
        <translation>{n} cadangan</translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <source>Restore undone</source>
        <translation>Pemulihan dibatalkan</translation>
    </message>
    <message>
        <source>Restore finished</source>
        <translation>Pemulihan selesai</translation>
    </message>
    <message>
        <source>Undo this restore</source>
        <translation>Batalkan pemulihan ini</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>Tampilkan di folder</translation>
    </message>
    <message>
        <source>The database itself was not touched.</source>
        <translation>Database-nya sendiri tidak disentuh.</translation>
    </message>
    <message>
        <source>The backup of {when} was saved as a new file:</source>
        <translation>Cadangan {when} disimpan sebagai file baru:</translation>
    </message>
    <message>
        <source>Size: {size}. SHA-256: {sha}</source>
        <translation>Ukuran: {size}. SHA-256: {sha}</translation>
    </message>
    <message>
        <source>The photos and files of the backup ({n} files) are in {folder}.</source>
        <translation>Foto dan berkas dari cadangan ({n} berkas) ada di {folder}.</translation>
    </message>
    <message>
        <source>Not restored: {files}</source>
        <translation>Tidak dipulihkan: {files}</translation>
    </message>
    <message>
        <source>The database is back as it was before the restore.</source>
        <translation>Database sudah kembali seperti sebelum pemulihan.</translation>
    </message>
    <message>
        <source>Open the POS application again and check that the data is as you expect.</source>
        <translation>Buka lagi aplikasi kasir dan periksa apakah datanya sesuai harapan Anda.</translation>
    </message>
    <message>
        <source>The backup of {when} was restored into:</source>
        <translation>Cadangan {when} dipulihkan ke:</translation>
    </message>
    <message>
        <source>{table}: {n} rows brought back, {kept} changed since kept, {same} unchanged</source>
        <translation>{table}: {n} baris dikembalikan, {kept} yang diubah sejak itu dipertahankan, {same} tidak berubah</translation>
    </message>
    <message>
        <source>, {n} not brought back: their number was given again to a newer row</source>
        <translation>, {n} tidak dikembalikan: nomornya sudah dipakai lagi oleh baris yang lebih baru</translation>
    </message>
    <message>
        <source>, {n} held back: they belonged to a row that is another one now</source>
        <translation>, {n} ditahan: baris induknya sekarang sudah baris lain</translation>
    </message>
    <message>
        <source> ({n} of them came back under a new number)</source>
        <translation> ({n} di antaranya kembali dengan nomor baru)</translation>
    </message>
    <message>
        <source>{table}: {removed} rows removed, {n} rows restored</source>
        <translation>{table}: {removed} baris dihapus, {n} baris dipulihkan</translation>
    </message>
    <message>
        <source>Photos and files in {folder}: {n} written, {gone} removed</source>
        <translation>Foto dan berkas di {folder}: {n} ditulis, {gone} dihapus</translation>
    </message>
    <message>
        <source>A safety backup of the database as it was just before the restore was kept: backup {id} (“Before restore”) in {location}. “Undo this restore” puts it back.</source>
        <translation>Cadangan pengaman database sesaat sebelum pemulihan disimpan: cadangan {id} (“Sebelum pemulihan”) di {location}. “Batalkan pemulihan ini” mengembalikannya.</translation>
    </message>
    <message>
        <source>The restore was undone: {path} is back as it was before the restore. (The restored state was kept as backup {id}.)</source>
        <translation>Pemulihan dibatalkan: {path} kembali seperti sebelum pemulihan. (Keadaan hasil pemulihan disimpan sebagai cadangan {id}.)</translation>
    </message>
    <message>
        <source>Putting the database back as it was…</source>
        <translation>Mengembalikan database seperti semula…</translation>
    </message>
    <message>
        <source>Undo cancelled. The database was not changed.</source>
        <translation>Pembatalan pemulihan dihentikan. Database tidak diubah.</translation>
    </message>
</context>
<context>
    <name>ScheduleDialog</name>
    <message>
        <source>Schedule — {name}</source>
        <translation>Jadwal — {name}</translation>
    </message>
    <message>
        <source>KasirBackup backs up {db} automatically at the time you choose, as long as it is running (it waits in the tray).</source>
        <translation>KasirBackup mencadangkan {db} secara otomatis pada waktu yang Anda pilih, selama aplikasinya berjalan (menunggu di baki sistem).</translation>
    </message>
    <message>
        <source>minute(s)</source>
        <translation>menit</translation>
    </message>
    <message>
        <source>Recommended for a cash register: every sale is in a checked backup within a minute. Nothing is done while nothing is sold.</source>
        <translation>Disarankan untuk mesin kasir: setiap penjualan masuk ke cadangan yang sudah diperiksa dalam satu menit. Selama tidak ada penjualan, tidak ada yang dikerjakan.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Kapan</translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation>&amp;Ulangi:</translation>
    </message>
    <message>
        <source>Continuous protection</source>
        <translation>Perlindungan terus-menerus</translation>
    </message>
    <message>
        <source>Back up each change within</source>
        <translation>Cadangkan setiap perubahan dalam</translation>
    </message>
    <message>
        <source>Every day</source>
        <translation>Setiap hari</translation>
    </message>
    <message>
        <source>Every week, on chosen days</source>
        <translation>Setiap minggu, pada hari yang dipilih</translation>
    </message>
    <message>
        <source>Every month, on one day</source>
        <translation>Setiap bulan, pada satu tanggal</translation>
    </message>
    <message>
        <source>Off (only when I press Backup now)</source>
        <translation>Mati (hanya saat saya menekan Cadangkan sekarang)</translation>
    </message>
    <message>
        <source>&amp;Time:</source>
        <translation>&amp;Jam:</translation>
    </message>
    <message>
        <source>Days:</source>
        <translation>Hari:</translation>
    </message>
    <message>
        <source>&amp;Day of the month:</source>
        <translation>&amp;Tanggal:</translation>
    </message>
    <message>
        <source>In a shorter month it runs on the last day.</source>
        <translation>Pada bulan yang lebih pendek, pencadangan berjalan di hari terakhir.</translation>
    </message>
    <message>
        <source>Next backups</source>
        <translation>Pencadangan berikutnya</translation>
    </message>
    <message>
        <source>Missed backups are always made up: if the computer was off or asleep at the scheduled time, the backup runs about a minute after it is back on and KasirBackup is running.</source>
        <translation>Pencadangan yang terlewat selalu disusulkan: jika komputer mati atau tidur pada waktu terjadwal, pencadangan berjalan sekitar satu menit setelah komputer menyala lagi dan KasirBackup berjalan.</translation>
    </message>
    <message>
        <source>Running in the background</source>
        <translation>Berjalan di latar belakang</translation>
    </message>
    <message>
        <source>Start KasirBackup when I log in</source>
        <translation>Jalankan KasirBackup saat saya masuk ke komputer</translation>
    </message>
    <message>
        <source>KasirBackup starts in the tray, so scheduled backups are not missed.</source>
        <translation>KasirBackup mulai di baki sistem, jadi pencadangan terjadwal tidak terlewat.</translation>
    </message>
    <message>
        <source>Also run backups through the operating system&apos;s task scheduler</source>
        <translation>Jalankan pencadangan juga lewat penjadwal tugas sistem operasi</translation>
    </message>
    <message>
        <source>Backups then run even when KasirBackup is not running, at the same times; the system catches up after the computer was off.</source>
        <translation>Pencadangan tetap berjalan pada jam yang sama walau KasirBackup tidak berjalan; sistem menyusulkannya setelah komputer mati.</translation>
    </message>
    <message>
        <source>When (the full check and the off-site copy)</source>
        <translation>Kapan (pemeriksaan lengkap dan salinan di luar lokasi)</translation>
    </message>
    <message>
        <source>{day}, {when}</source>
        <translation>{day}, {when}</translation>
    </message>
    <message>
        <source>{when} ({distance})</source>
        <translation>{when} ({distance})</translation>
    </message>
    <message>
        <source>Choose at least one day.</source>
        <translation>Pilih paling sedikit satu hari.</translation>
    </message>
    <message>
        <source>No automatic backups. Press “Backup now” in the main window to make one.</source>
        <translation>Tidak ada pencadangan otomatis. Tekan “Cadangkan sekarang” di jendela utama untuk membuat cadangan.</translation>
    </message>
    <message>
        <source>The database {name} is no longer set up in KasirBackup; nothing was saved.</source>
        <translation>Database {name} sudah tidak diatur di KasirBackup; tidak ada yang disimpan.</translation>
    </message>
    <message>
        <source>Setting up the system schedule…</source>
        <translation>Menyiapkan jadwal sistem…</translation>
    </message>
    <message>
        <source>Removing the system schedule…</source>
        <translation>Menghapus jadwal sistem…</translation>
    </message>
    <message>
        <source>The schedule is saved; KasirBackup runs it while it is open.</source>
        <translation>Jadwal tersimpan; KasirBackup menjalankannya selama aplikasi terbuka.</translation>
    </message>
</context>
<context>
    <name>SchedulePage</name>
    <message>
        <source>When should the backup run?</source>
        <translation>Kapan pencadangan dijalankan?</translation>
    </message>
    <message>
        <source>Choose a time after the shop closes, when the computer is usually still on.</source>
        <translation>Pilih waktu setelah toko tutup, saat komputer biasanya masih menyala.</translation>
    </message>
    <message>
        <source>Protect every sale within a minute (recommended for a cash register)</source>
        <translation>Lindungi setiap penjualan dalam satu menit (disarankan untuk mesin kasir)</translation>
    </message>
    <message>
        <source>A minute after each change KasirBackup keeps a checked copy of what changed. When nothing is sold, nothing is done.</source>
        <translation>Satu menit setelah setiap perubahan, KasirBackup menyimpan salinan yang sudah diperiksa dari yang berubah. Selama tidak ada penjualan, tidak ada yang dikerjakan.</translation>
    </message>
    <message>
        <source>Once a day, at this time, KasirBackup also checks a whole backup and makes the off-site copy, even while the cash register program is open.</source>
        <translation>Sekali sehari, pada jam ini, KasirBackup juga memeriksa satu cadangan secara utuh dan membuat salinan di luar lokasi, walaupun program kasir sedang terbuka.</translation>
    </message>
    <message>
        <source>Time:</source>
        <translation>Jam:</translation>
    </message>
    <message>
        <source>How often:</source>
        <translation>Seberapa sering:</translation>
    </message>
    <message>
        <source>Every day</source>
        <translation>Setiap hari</translation>
    </message>
    <message>
        <source>Once a week, on</source>
        <translation>Seminggu sekali, hari</translation>
    </message>
    <message>
        <source>If the computer is off at that time, the backup runs a minute after KasirBackup starts again. The first backup is made now.</source>
        <translation>Jika komputer mati pada jam itu, pencadangan berjalan satu menit setelah KasirBackup dijalankan lagi. Cadangan pertama dibuat sekarang.</translation>
    </message>
    <message>
        <source>Start KasirBackup when I log in to this computer</source>
        <translation>Jalankan KasirBackup saat saya masuk ke komputer ini</translation>
    </message>
    <message>
        <source>Make the first backup</source>
        <translation>Buat cadangan pertama</translation>
    </message>
    <message>
        <source>KasirBackup waits in the tray next to the clock, so the backups also run after the computer restarts.</source>
        <translation>KasirBackup menunggu di baki sistem dekat jam, jadi pencadangan tetap berjalan setelah komputer dinyalakan ulang.</translation>
    </message>
    <message>
        <source>Without this, the scheduled backups stop when the computer restarts, until you start KasirBackup yourself.</source>
        <translation>Tanpa ini, pencadangan terjadwal berhenti saat komputer dinyalakan ulang, sampai Anda menjalankan KasirBackup sendiri.</translation>
    </message>
    <message>
        <source>Sales are protected within a minute. Next full check: {when} ({distance})</source>
        <translation>Penjualan terlindungi dalam satu menit. Pemeriksaan lengkap berikutnya: {when} ({distance})</translation>
    </message>
    <message>
        <source>Next backup: {when} ({distance})</source>
        <translation>Pencadangan berikutnya: {when} ({distance})</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings — {name}</source>
        <translation>Pengaturan — {name}</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>Backup places</source>
        <translation>Tempat cadangan</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Lampiran</translation>
    </message>
    <message>
        <source>Retention</source>
        <translation>Masa simpan</translation>
    </message>
    <message>
        <source>Encryption</source>
        <translation>Enkripsi</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Bahasa</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Pemberitahuan</translation>
    </message>
    <message>
        <source>Start-up</source>
        <translation>Mulai otomatis</translation>
    </message>
    <message>
        <source>Add a database first</source>
        <translation>Tambahkan database dulu</translation>
    </message>
    <message>
        <source>{reason} The place was not added.</source>
        <translation>{reason} Tempat ini tidak ditambahkan.</translation>
    </message>
    <message>
        <source>Could not turn on start with login: {reason}</source>
        <translation>Tidak bisa menyalakan mulai otomatis saat masuk: {reason}</translation>
    </message>
    <message>
        <source>Could not turn off start with login: {reason}</source>
        <translation>Tidak bisa mematikan mulai otomatis saat masuk: {reason}</translation>
    </message>
    <message>
        <source>Add &amp;folder…</source>
        <translation>Tambah &amp;folder…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Hapus</translation>
    </message>
    <message>
        <source>Plain copy</source>
        <translation>Salinan biasa</translation>
    </message>
    <message>
        <source>Also keep the latest backup as an ordinary .db file in the backup folder</source>
        <translation>Simpan juga cadangan terbaru sebagai file .db biasa di folder cadangan</translation>
    </message>
    <message>
        <source>Old backups are removed after each backup by these rules; a backup that any rule wants is kept.</source>
        <translation>Cadangan lama dihapus setelah setiap pencadangan menurut aturan ini; cadangan yang diperlukan oleh salah satu aturan tetap disimpan.</translation>
    </message>
    <message>
        <source>&amp;Newest backups to keep:</source>
        <translation>Cadangan &amp;terbaru yang disimpan:</translation>
    </message>
    <message>
        <source>&amp;Daily backups to keep:</source>
        <translation>Cadangan &amp;harian yang disimpan:</translation>
    </message>
    <message>
        <source>&amp;Weekly backups to keep:</source>
        <translation>Cadangan &amp;mingguan yang disimpan:</translation>
    </message>
    <message>
        <source>&amp;Monthly backups to keep:</source>
        <translation>Cadangan &amp;bulanan yang disimpan:</translation>
    </message>
    <message>
        <source>&amp;Yearly backups to keep:</source>
        <translation>Cadangan t&amp;ahunan yang disimpan:</translation>
    </message>
    <message>
        <source>Remove old backups after each backup</source>
        <translation>Hapus cadangan lama setelah setiap pencadangan</translation>
    </message>
    <message>
        <source>Always kept: the newest backup that passed its check, and the safety backups made before a restore for at least 30 days.</source>
        <translation>Selalu disimpan: cadangan terbaru yang lolos pemeriksaan, dan cadangan pengaman yang dibuat sebelum pemulihan selama paling sedikit 30 hari.</translation>
    </message>
    <message>
        <source>&amp;Unlock…</source>
        <translation>&amp;Buka kunci…</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Waktu</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Keputusan</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Alasan</translation>
    </message>
    <message>
        <source>&amp;Place:</source>
        <translation>&amp;Tempat:</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Frasa sandi</translation>
    </message>
    <message>
        <source>&amp;Change passphrase…</source>
        <translation>&amp;Ganti frasa sandi…</translation>
    </message>
    <message>
        <source>&amp;Save recovery sheet…</source>
        <translation>&amp;Simpan lembar pemulihan…</translation>
    </message>
    <message>
        <source>What to keep on paper to open the backups on another computer if the backup folder&apos;s key file is lost</source>
        <translation>Yang perlu disimpan di kertas untuk membuka cadangan di komputer lain jika file kunci di folder cadangan hilang</translation>
    </message>
    <message>
        <source>&amp;Print recovery sheet…</source>
        <translation>&amp;Cetak lembar pemulihan…</translation>
    </message>
    <message>
        <source>C&amp;opy recovery sheet</source>
        <translation>Sa&amp;lin lembar pemulihan</translation>
    </message>
    <message>
        <source>This computer&apos;s credential store</source>
        <translation>Penyimpanan kredensial komputer ini</translation>
    </message>
    <message>
        <source>Re&amp;member passphrase</source>
        <translation>&amp;Ingat frasa sandi</translation>
    </message>
    <message>
        <source>&amp;Forget passphrase</source>
        <translation>&amp;Lupakan frasa sandi</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Bahasa:</translation>
    </message>
    <message>
        <source>Same as the computer</source>
        <translation>Sama dengan komputer</translation>
    </message>
    <message>
        <source>The new language is used at once, in every window.</source>
        <translation>Bahasa baru langsung dipakai di semua jendela.</translation>
    </message>
    <message>
        <source>Tell me when a backup succeeds</source>
        <translation>Beri tahu saya jika pencadangan berhasil</translation>
    </message>
    <message>
        <source>You are always told when a backup fails or could not run.</source>
        <translation>Anda selalu diberi tahu jika pencadangan gagal atau tidak bisa berjalan.</translation>
    </message>
    <message>
        <source>Start KasirBackup when I log in to this computer</source>
        <translation>Jalankan KasirBackup saat saya masuk ke komputer ini</translation>
    </message>
    <message>
        <source>KasirBackup then waits in the tray next to the clock, so scheduled backups also run after the computer restarts. Without it they stop until you start KasirBackup yourself.</source>
        <translation>KasirBackup lalu menunggu di baki sistem dekat jam, jadi pencadangan terjadwal tetap berjalan setelah komputer dinyalakan ulang. Tanpa ini, pencadangan berhenti sampai Anda menjalankan KasirBackup sendiri.</translation>
    </message>
    <message>
        <source>Every backup goes to each place below. The first one is the main backup folder; the others receive an off-site copy (a USB disk, a network share, a cloud-sync folder or online storage), so a stolen or broken computer does not take the backups with it.</source>
        <translation>Setiap cadangan disimpan ke semua tempat di bawah. Yang pertama adalah folder cadangan utama; yang lain menerima salinan di tempat lain (disk USB, folder jaringan, folder sinkronisasi cloud, atau penyimpanan cloud), sehingga komputer yang dicuri atau rusak tidak ikut menghilangkan cadangan.</translation>
    </message>
    <message>
        <source>Add &amp;online storage…</source>
        <translation>Tambah penyimpanan &amp;cloud…</translation>
    </message>
    <message>
        <source>Main backup folder</source>
        <translation>Folder cadangan utama</translation>
    </message>
    <message>
        <source>Off-site copy</source>
        <translation>Salinan di tempat lain</translation>
    </message>
    <message>
        <source>{role}: {location}</source>
        <translation>{role}: {location}</translation>
    </message>
    <message>
        <source>online storage “{name}”</source>
        <translation>penyimpanan cloud “{name}”</translation>
    </message>
    <message>
        <source>The address and keys of {name} are updated.</source>
        <translation>Alamat dan kunci {name} sudah diperbarui.</translation>
    </message>
    <message>
        <source>{name} is added. Press OK to keep it.</source>
        <translation>{name} ditambahkan. Tekan OK untuk menyimpannya.</translation>
    </message>
    <message>
        <source>The main place is online storage, so no plain copy is made there; it is made only in a folder.</source>
        <translation>Tempat utama adalah penyimpanan cloud, jadi salinan biasa tidak dibuat di sana; salinan biasa hanya dibuat di folder.</translation>
    </message>
    <message>
        <source>&amp;Turn on encryption…</source>
        <translation>&amp;Aktifkan enkripsi…</translation>
    </message>
    <message>
        <source>Start &amp;encrypted backups in a new folder…</source>
        <translation>Mulai cadangan t&amp;erenkripsi di folder baru…</translation>
    </message>
    <message>
        <source>Choose an empty folder for the encrypted backups</source>
        <translation>Pilih folder kosong untuk cadangan terenkripsi</translation>
    </message>
    <message>
        <source>{location} is in the list already.</source>
        <translation>{location} sudah ada di daftar.</translation>
    </message>
    <message>
        <source>Turning encryption on…</source>
        <translation>Mengaktifkan enkripsi…</translation>
    </message>
    <message>
        <source>From the next backup on, the backups go to {new}, encrypted (press OK to keep this). The backups made so far stay in {old}, not encrypted: delete them when you no longer need them.</source>
        <translation>Mulai pencadangan berikutnya, cadangan disimpan terenkripsi di {new} (tekan OK untuk menyimpan perubahan ini). Cadangan yang sudah ada tetap di {old} tanpa enkripsi: hapus jika sudah tidak diperlukan.</translation>
    </message>
    <message>
        <source>This computer has no secure credential store, so the passphrase is not saved on it: KasirBackup asks for it after each start.</source>
        <translation>Komputer ini tidak memiliki penyimpanan kredensial yang aman, jadi frasa sandi tidak disimpan di sini: KasirBackup memintanya setiap kali dijalankan.</translation>
    </message>
    <message>
        <source>Choose a folder for backups</source>
        <translation>Pilih folder untuk cadangan</translation>
    </message>
    <message>
        <source>These backups are encrypted, so no plain copy is made: anyone could read it.</source>
        <translation>Cadangan ini terenkripsi, jadi salinan biasa tidak dibuat: siapa pun bisa membacanya.</translation>
    </message>
    <message>
        <source>Any SQLite tool opens it (for whoever wants “just the file”). It is replaced by each new backup.</source>
        <translation>Program SQLite apa pun bisa membukanya (untuk yang ingin “file-nya saja”). File ini diganti pada setiap pencadangan baru.</translation>
    </message>
    <message>
        <source>hour</source>
        <translation>jam</translation>
    </message>
    <message>
        <source>day</source>
        <translation>hari</translation>
    </message>
    <message>
        <source>week</source>
        <translation>minggu</translation>
    </message>
    <message>
        <source>month</source>
        <translation>bulan</translation>
    </message>
    <message>
        <source>year</source>
        <translation>tahun</translation>
    </message>
    <message>
        <source>{n} hourly</source>
        <translation>{n} per jam</translation>
    </message>
    <message>
        <source>{n} daily</source>
        <translation>{n} harian</translation>
    </message>
    <message>
        <source>{n} weekly</source>
        <translation>{n} mingguan</translation>
    </message>
    <message>
        <source>{n} monthly</source>
        <translation>{n} bulanan</translation>
    </message>
    <message>
        <source>{n} yearly</source>
        <translation>{n} tahunan</translation>
    </message>
    <message>
        <source>not the newest backup</source>
        <translation>bukan cadangan terbaru</translation>
    </message>
    <message>
        <source>not one of the {n} newest</source>
        <translation>bukan salah satu dari {n} yang terbaru</translation>
    </message>
    <message>
        <source>a newer backup is kept for its {periods}</source>
        <translation>cadangan yang lebih baru disimpan untuk {periods}-nya</translation>
    </message>
    <message>
        <source>older than the {rules} backups kept</source>
        <translation>lebih lama dari cadangan {rules} yang disimpan</translation>
    </message>
    <message>
        <source>older than the kept period</source>
        <translation>lebih lama dari masa simpan</translation>
    </message>
    <message>
        <source>a safety backup older than 30 days</source>
        <translation>cadangan pengaman yang lebih dari 30 hari</translation>
    </message>
    <message>
        <source>Reading the backups in {location}…</source>
        <translation>Membaca cadangan di {location}…</translation>
    </message>
    <message>
        <source>The backups in {location} are encrypted. Unlock them with the passphrase to see what would be kept.</source>
        <translation>Cadangan di {location} terenkripsi. Buka kuncinya dengan frasa sandi untuk melihat apa yang akan disimpan.</translation>
    </message>
    <message>
        <source>one of the {n} newest</source>
        <translation>salah satu dari {n} yang terbaru</translation>
    </message>
    <message>
        <source>newest of its hour</source>
        <translation>terbaru pada jamnya</translation>
    </message>
    <message>
        <source>newest of its day</source>
        <translation>terbaru pada harinya</translation>
    </message>
    <message>
        <source>newest of its week</source>
        <translation>terbaru pada minggunya</translation>
    </message>
    <message>
        <source>newest of its month</source>
        <translation>terbaru pada bulannya</translation>
    </message>
    <message>
        <source>newest of its year</source>
        <translation>terbaru pada tahunnya</translation>
    </message>
    <message>
        <source>within the kept period</source>
        <translation>masih dalam masa simpan</translation>
    </message>
    <message>
        <source>the newest checked backup (always kept)</source>
        <translation>cadangan terbaru yang sudah diperiksa (selalu disimpan)</translation>
    </message>
    <message>
        <source>safety backup from a restore, under 30 days old</source>
        <translation>cadangan pengaman dari pemulihan, umurnya kurang dari 30 hari</translation>
    </message>
    <message>
        <source>no rule is set, so every backup is kept</source>
        <translation>tidak ada aturan, jadi semua cadangan disimpan</translation>
    </message>
    <message>
        <source>There are no backups yet, so nothing would be removed.</source>
        <translation>Belum ada cadangan, jadi tidak ada yang akan dihapus.</translation>
    </message>
    <message>
        <source>Of {total} backups, {kept} are kept and {removed} would be removed at the next backup.</source>
        <translation>Dari {total} cadangan, {kept} disimpan dan {removed} akan dihapus pada pencadangan berikutnya.</translation>
    </message>
    <message>
        <source>Of {total} backups, {kept} are wanted by these rules. Nothing is removed while “Remove old backups after each backup” is off.</source>
        <translation>Dari {total} cadangan, {kept} diperlukan oleh aturan ini. Tidak ada yang dihapus selama “Hapus cadangan lama setelah setiap pencadangan” tidak dicentang.</translation>
    </message>
    <message>
        <source>not needed by any rule</source>
        <translation>tidak diperlukan oleh aturan mana pun</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Disimpan</translation>
    </message>
    <message>
        <source>Folder of the database&apos;s files</source>
        <translation>Folder berkas-berkas database</translation>
    </message>
    <message>
        <source>Folders of files that belong to this database — product photos, scanned receipts, member ID scans. They are kept in the same backups as the database, and a restore brings them back with it.</source>
        <translation>Folder berkas milik database ini — foto produk, pindaian struk, pindaian kartu anggota. Berkas-berkas ini disimpan di cadangan yang sama dengan database, dan pemulihan mengembalikannya bersama database.</translation>
    </message>
    <message>
        <source>Add a folder…</source>
        <translation>Tambah folder…</translation>
    </message>
    <message>
        <source>Find beside the database</source>
        <translation>Cari di samping database</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Dihapus</translation>
    </message>
    <message>
        <source>Added: {folders}. Press OK to keep them.</source>
        <translation>Ditambahkan: {folders}. Tekan OK untuk menyimpannya.</translation>
    </message>
    <message>
        <source>{folder} ({files} files, {size})</source>
        <translation>{folder} ({files} berkas, {size})</translation>
    </message>
    <message>
        <source>No other folder of pictures or documents was found beside the database.</source>
        <translation>Tidak ada folder gambar atau dokumen lain di samping database.</translation>
    </message>
    <message>
        <source>Removing a folder here only stops backing it up; its files stay in the backups already made.</source>
        <translation>Menghapus folder di sini hanya menghentikan pencadangannya; berkas-berkasnya tetap ada di cadangan yang sudah dibuat.</translation>
    </message>
    <message>
        <source>Backup {id}</source>
        <translation>Cadangan {id}</translation>
    </message>
    <message>
        <source>Reading {location}…</source>
        <translation>Membaca {location}…</translation>
    </message>
    <message>
        <source>There are no backups in this place yet. Turn encryption on now and every backup made here is encrypted with your passphrase; otherwise they are not encrypted.</source>
        <translation>Belum ada cadangan di tempat ini. Aktifkan enkripsi sekarang, maka setiap cadangan di sini dienkripsi dengan frasa sandi Anda; jika tidak, cadangan tidak terenkripsi.</translation>
    </message>
    <message>
        <source>The backups in this place are encrypted with your passphrase. Without the passphrase nobody can open them — not even you, so keep it safe.</source>
        <translation>Cadangan di tempat ini terenkripsi dengan frasa sandi Anda. Tanpa frasa sandi tidak ada yang bisa membukanya — termasuk Anda, jadi simpan baik-baik.</translation>
    </message>
    <message>
        <source>The backups in this place are not encrypted: anyone who gets them can read them. Backups already made stay as they are. To encrypt the next ones, add a new online storage folder under Backup places, turn encryption on for it here, then remove this one.</source>
        <translation>Cadangan di tempat ini tidak terenkripsi: siapa pun yang mendapatkannya bisa membacanya. Cadangan yang sudah ada tetap seperti itu. Untuk mengenkripsi cadangan berikutnya, tambahkan folder penyimpanan cloud baru di Tempat cadangan, aktifkan enkripsinya di sini, lalu hapus tempat ini.</translation>
    </message>
    <message>
        <source>The backups in this place are not encrypted: anyone who gets the folder can read them. Backups already made stay as they are; the next ones can go encrypted into a new folder.</source>
        <translation>Cadangan di tempat ini tidak terenkripsi: siapa pun yang mendapatkan foldernya bisa membacanya. Cadangan yang sudah ada tetap seperti itu; cadangan berikutnya bisa disimpan terenkripsi di folder baru.</translation>
    </message>
    <message>
        <source>This computer has no secure credential store, so the passphrase cannot be saved on it. KasirBackup asks for it after each start and keeps it in memory only; scheduled backups wait until then.</source>
        <translation>Komputer ini tidak punya penyimpanan kredensial yang aman, jadi frasa sandi tidak bisa disimpan di sini. KasirBackup menanyakannya setiap kali dijalankan dan hanya menyimpannya di memori; pencadangan terjadwal menunggu sampai frasa sandi dimasukkan.</translation>
    </message>
    <message>
        <source>The passphrase is saved in this computer&apos;s credential store, so scheduled backups run without asking.</source>
        <translation>Frasa sandi tersimpan di penyimpanan kredensial komputer ini, jadi pencadangan terjadwal berjalan tanpa bertanya.</translation>
    </message>
    <message>
        <source>The passphrase is not saved on this computer. KasirBackup asks for it after each start; scheduled backups wait until then.</source>
        <translation>Frasa sandi tidak disimpan di komputer ini. KasirBackup menanyakannya setiap kali dijalankan; pencadangan terjadwal menunggu sampai frasa sandi dimasukkan.</translation>
    </message>
    <message>
        <source>Changing the passphrase…</source>
        <translation>Mengganti frasa sandi…</translation>
    </message>
    <message>
        <source>The passphrase is changed. Save and print a new recovery sheet for it. The old sheet still opens these backups together with the old passphrase: destroy it if someone else may know the old passphrase.</source>
        <translation>Frasa sandi sudah diganti. Simpan dan cetak lembar pemulihan yang baru untuknya. Lembar yang lama masih bisa membuka cadangan ini bersama frasa sandi yang lama: musnahkan lembar itu jika orang lain mungkin tahu frasa sandi yang lama.</translation>
    </message>
    <message>
        <source>Passphrase changed</source>
        <translation>Frasa sandi diganti</translation>
    </message>
    <message>
        <source>The current passphrase is not right. Nothing was changed.</source>
        <translation>Frasa sandi saat ini salah. Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>Save the recovery sheet</source>
        <translation>Simpan lembar pemulihan</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>File teks (*.txt)</translation>
    </message>
    <message>
        <source>Writing the recovery sheet…</source>
        <translation>Menulis lembar pemulihan…</translation>
    </message>
    <message>
        <source>The recovery sheet is saved as {path}. Print it and keep it away from this computer, with the passphrase kept somewhere else.</source>
        <translation>Lembar pemulihan disimpan sebagai {path}. Cetak dan simpan jauh dari komputer ini, dan simpan frasa sandi di tempat lain lagi.</translation>
    </message>
    <message>
        <source>Recovery sheet</source>
        <translation>Lembar pemulihan</translation>
    </message>
    <message>
        <source>Preparing the recovery sheet…</source>
        <translation>Menyiapkan lembar pemulihan…</translation>
    </message>
    <message>
        <source>The recovery sheet is copied. Paste it into a document and keep that away from this computer.</source>
        <translation>Lembar pemulihan sudah disalin. Tempelkan ke sebuah dokumen dan simpan dokumen itu jauh dari komputer ini.</translation>
    </message>
    <message>
        <source>Saving the passphrase…</source>
        <translation>Menyimpan frasa sandi…</translation>
    </message>
    <message>
        <source>Removing the passphrase…</source>
        <translation>Menghapus frasa sandi…</translation>
    </message>
    <message>
        <source>The database {name} is no longer set up in KasirBackup; nothing was saved.</source>
        <translation>Database {name} sudah tidak diatur di KasirBackup; tidak ada yang disimpan.</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up KasirBackup</source>
        <translation>Siapkan KasirBackup</translation>
    </message>
    <message>
        <source>Pick the database file</source>
        <translation>Pilih file database</translation>
    </message>
    <message>
        <source>Databases ({patterns});;All files (*)</source>
        <translation>Database ({patterns});;Semua file (*)</translation>
    </message>
    <message>
        <source>Pick the folder for the backups</source>
        <translation>Pilih folder untuk cadangan</translation>
    </message>
    <message>
        <source>every {day} at {time}</source>
        <translation>setiap {day} pukul {time}</translation>
    </message>
    <message>
        <source>every day at {time}</source>
        <translation>setiap hari pukul {time}</translation>
    </message>
    <message>
        <source>Go back and pick the database and the folder again.</source>
        <translation>Kembali dan pilih database serta folder sekali lagi.</translation>
    </message>
    <message>
        <source>Could not turn on start with login: {reason}</source>
        <translation>Tidak bisa menyalakan mulai otomatis saat masuk: {reason}</translation>
    </message>
    <message>
        <source>Could not turn off start with login: {reason}</source>
        <translation>Tidak bisa mematikan mulai otomatis saat masuk: {reason}</translation>
    </message>
    <message>
        <source>Keep the first backup?</source>
        <translation>Simpan cadangan pertama?</translation>
    </message>
    <message>
        <source>Keep the database and its first backup?</source>
        <translation>Tetap cadangkan database ini dan simpan cadangan pertamanya?</translation>
    </message>
    <message>
        <source>The first backup of {name} is made and checked. Keep: it is backed up {when} from now on. Remove: KasirBackup forgets this database and deletes the backup folder it made: {folder}</source>
        <translation>Cadangan pertama {name} sudah dibuat dan diperiksa. Simpan: database ini dicadangkan {when} mulai sekarang. Hapus: KasirBackup melupakan database ini dan menghapus folder cadangan yang dibuatnya: {folder}</translation>
    </message>
    <message>
        <source>The first backup of {name} is made and checked. Keep: it is backed up {when} from now on. Remove: KasirBackup forgets this database; the backup folder {folder}, which held backups before, stays as it is.</source>
        <translation>Cadangan pertama {name} sudah dibuat dan diperiksa. Simpan: database ini dicadangkan {when} mulai sekarang. Hapus: KasirBackup melupakan database ini; folder cadangan {folder}, yang sudah berisi cadangan sebelumnya, dibiarkan seperti semula.</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Simpan</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Hapus</translation>
    </message>
</context>
<context>
    <name>SizeChart</name>
    <message>
        <source>Line: database size. Bars: data each backup added.</source>
        <translation>Garis: ukuran database. Batang: data yang ditambahkan tiap cadangan.</translation>
    </message>
    <message>
        <source>Size over time</source>
        <translation>Ukuran dari waktu ke waktu</translation>
    </message>
    <message>
        <source>No backups yet</source>
        <translation>Belum ada cadangan</translation>
    </message>
</context>
<context>
    <name>SnapshotModel</name>
    <message>
        <source>Time</source>
        <translation>Waktu</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Ukuran</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Ditambahkan</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>Diperiksa</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>Checked: what it added was read back; a test restore checks it whole before a restore</source>
        <translation>Diperiksa: yang ditambahkannya sudah dibaca ulang; uji pemulihan memeriksanya utuh sebelum pemulihan</translation>
    </message>
    <message>
        <source>Verified by a restore drill</source>
        <translation>Sudah diperiksa dengan uji pemulihan</translation>
    </message>
    <message>
        <source>Not verified: {detail}</source>
        <translation>Belum diperiksa: {detail}</translation>
    </message>
    <message>
        <source>Backup {id}</source>
        <translation>Cadangan {id}</translation>
    </message>
</context>
<context>
    <name>SnapshotPage</name>
    <message>
        <source>Choose a backup</source>
        <translation>Pilih cadangan</translation>
    </message>
    <message>
        <source>Pick the moment to go back to, or a backup from the list. The newest is at the top.</source>
        <translation>Pilih saat yang ingin dikembalikan, atau satu cadangan dari daftar. Yang terbaru ada di atas.</translation>
    </message>
    <message>
        <source>Reading the backups…</source>
        <translation>Membaca daftar cadangan…</translation>
    </message>
    <message>
        <source>There are no backups of this database yet, so there is nothing to restore. Make one with “Backup now” first.</source>
        <translation>Belum ada cadangan database ini, jadi tidak ada yang bisa dipulihkan. Buat dulu dengan “Cadangkan sekarang”.</translation>
    </message>
    <message>
        <source>Backups in {location}:</source>
        <translation>Cadangan di {location}:</translation>
    </message>
    <message>
        <source>This backup failed its check ({detail}) and cannot be restored. Choose another one.</source>
        <translation>Cadangan ini gagal diperiksa ({detail}) dan tidak bisa dipulihkan. Pilih cadangan lain.</translation>
    </message>
    <message>
        <source>Backup {id} of {when}: {size}, {tables} tables.</source>
        <translation>Cadangan {id} dari {when}: {size}, {tables} tabel.</translation>
    </message>
    <message>
        <source>Backup {id} of {when}: {size}. It is checked whole by a test restore before it is restored.</source>
        <translation>Cadangan {id} dari {when}: {size}. Cadangan ini diperiksa utuh dengan uji pemulihan sebelum dipulihkan.</translation>
    </message>
</context>
<context>
    <name>StatusBanner</name>
    <message>
        <source>Backing up now…</source>
        <extracomment>problems listed under the worst one (the tooltip lists them all)</extracomment>
        <translation>Sedang mencadangkan…</translation>
    </message>
    <message>
        <source>Not protected yet: no backup has been made. Press Backup now.</source>
        <translation>Belum terlindungi: belum ada cadangan. Tekan Cadangkan sekarang.</translation>
    </message>
    <message>
        <source>The last backup failed ({when}). Your older backups are still safe.</source>
        <translation>Pencadangan terakhir gagal ({when}). Cadangan lama Anda tetap aman.</translation>
    </message>
    <message>
        <source>A scheduled backup is overdue (it was due {when}). Last backup {ago}.</source>
        <translation>Pencadangan terjadwal terlambat (seharusnya {when}). Cadangan terakhir {ago}.</translation>
    </message>
    <message>
        <source>Last backup {ago}, verified. The off-site copy is pending since {since}.</source>
        <translation>Cadangan terakhir {ago}, sudah diperiksa. Salinan di tempat lain tertunda sejak {since}.</translation>
    </message>
    <message>
        <source>Protected up to {time} ({ago}): every sale until then is in a checked backup.</source>
        <translation>Terlindungi sampai {time} ({ago}): setiap penjualan sampai saat itu ada di cadangan yang sudah diperiksa.</translation>
    </message>
    <message>
        <source>You are protected. Last backup {ago}, verified.</source>
        <translation>Anda terlindungi. Cadangan terakhir {ago}, sudah diperiksa.</translation>
    </message>
    <message>
        <source>Next backup: {when}</source>
        <translation>Pencadangan berikutnya: {when}</translation>
    </message>
    <message>
        <source>No backups are scheduled</source>
        <translation>Tidak ada pencadangan terjadwal</translation>
    </message>
    <message>
        <source>Space used: {size}</source>
        <translation>Ruang terpakai: {size}</translation>
    </message>
    <message>
        <source>No database chosen yet. Add the database you want to protect.</source>
        <translation>Belum ada database yang dipilih. Tambahkan database yang ingin Anda lindungi.</translation>
    </message>
    <message>
        <source>{db}: {text}</source>
        <translation>{db}: {text}</translation>
    </message>
    <message>
        <source>Show {db}</source>
        <translation>Tampilkan {db}</translation>
    </message>
    <message>
        <source>Start KasirBackup when I log in</source>
        <translation>Jalankan KasirBackup saat saya masuk</translation>
    </message>
    <message>
        <source>the folder is read-only</source>
        <translation>folder hanya bisa dibaca</translation>
    </message>
    <message>
        <source>KasirBackup may not write to the folder</source>
        <translation>KasirBackup tidak diizinkan menulis ke folder itu</translation>
    </message>
    <message>
        <source>the disk is not connected</source>
        <translation>disk tidak tersambung</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>disk penuh</translation>
    </message>
    <message>
        <source>there is a file where the folder should be</source>
        <translation>ada file di tempat yang seharusnya folder</translation>
    </message>
    <message>
        <source>the reason is in History</source>
        <translation>alasannya ada di Riwayat</translation>
    </message>
    <message>
        <source>Scheduled backups stop when this computer restarts: nothing starts KasirBackup. Turn on &apos;Start when I log in&apos; in Settings.</source>
        <translation>Pencadangan terjadwal berhenti saat komputer ini dinyalakan ulang: tidak ada yang menjalankan KasirBackup. Nyalakan &apos;Jalankan saat saya masuk&apos; di Pengaturan.</translation>
    </message>
    <message>
        <source>{db}: not protected yet — no backup has been made. Press Backup now.</source>
        <translation>{db}: belum terlindungi — belum ada cadangan. Tekan Cadangkan sekarang.</translation>
    </message>
    <message>
        <source>{db}: a scheduled backup is overdue (it was due {when}).</source>
        <translation>{db}: pencadangan terjadwal terlambat (seharusnya {when}).</translation>
    </message>
    <message>
        <source>{db}: backup to {place} failing since {since} — {reason}</source>
        <translation>{db}: pencadangan ke {place} gagal sejak {since} — {reason}</translation>
    </message>
    <message>
        <source>{db}: backups failing since {since} — {reason}</source>
        <translation>{db}: pencadangan gagal sejak {since} — {reason}</translation>
    </message>
    <message>
        <source>{db}: copy to {place} failing since {since} — {reason}</source>
        <translation>{db}: salinan ke {place} gagal sejak {since} — {reason}</translation>
    </message>
    <message>
        <source>{db}: the off-site copy is pending since {since}.</source>
        <translation>{db}: salinan di tempat lain tertunda sejak {since}.</translation>
    </message>
    <message>
        <source>(1 more problem)</source>
        <translation>(1 masalah lain)</translation>
    </message>
    <message>
        <source>({n} more problems)</source>
        <translation>({n} masalah lain)</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Open KasirBackup</source>
        <extracomment>the icon for the app&apos;s status level</extracomment>
        <translation>Buka KasirBackup</translation>
    </message>
    <message>
        <source>Backup now: {name}</source>
        <translation>Cadangkan sekarang: {name}</translation>
    </message>
    <message>
        <source>Backup now</source>
        <translation>Cadangkan sekarang</translation>
    </message>
    <message>
        <source>{name}: {text}</source>
        <translation>{name}: {text}</translation>
    </message>
    <message>
        <source>{name}: next backup {when}</source>
        <translation>{name}: pencadangan berikutnya {when}</translation>
    </message>
    <message>
        <source>{name}: no backups are scheduled</source>
        <translation>{name}: tidak ada pencadangan terjadwal</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Keluar</translation>
    </message>
    <message>
        <source>KasirBackup</source>
        <translation>KasirBackup</translation>
    </message>
    <message>
        <source>Backup finished</source>
        <translation>Pencadangan selesai</translation>
    </message>
    <message>
        <source>{name}: backup finished and verified.</source>
        <translation>{name}: pencadangan selesai dan sudah diperiksa.</translation>
    </message>
    <message>
        <source>Off-site copy pending</source>
        <translation>Salinan di tempat lain tertunda</translation>
    </message>
    <message>
        <source>{name}: the backup is verified on this computer, but the off-site copy could not be made. It will be tried again.</source>
        <translation>{name}: cadangan di komputer ini sudah diperiksa, tetapi salinan di tempat lain belum bisa dibuat. Akan dicoba lagi.</translation>
    </message>
    <message>
        <source>Backup failed</source>
        <translation>Pencadangan gagal</translation>
    </message>
    <message>
        <source>{name}: {reason}</source>
        <translation>{name}: {reason}</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <source>KasirBackup</source>
        <translation>KasirBackup</translation>
    </message>
    <message>
        <source>Technical details are in the log file: {path}</source>
        <translation>Detail teknis ada di file log: {path}</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>Something went wrong.</source>
        <translation>Terjadi masalah.</translation>
    </message>
    <message>
        <source>This computer has no secure credential store, so the passphrase cannot be saved on it.</source>
        <translation>Komputer ini tidak punya penyimpanan kredensial yang aman, jadi frasa sandi tidak bisa disimpan di sini.</translation>
    </message>
    <message>
        <source>You will be asked for it when needed; for scheduled runs give it with --passphrase-file FILE (a file only you can read) or the KASIRBACKUP_PASSPHRASE variable.</source>
        <translation>Anda akan dimintai frasa sandi saat diperlukan; untuk pencadangan terjadwal berikan lewat --passphrase-file FILE (file yang hanya bisa Anda baca) atau variabel KASIRBACKUP_PASSPHRASE.</translation>
    </message>
    <message>
        <source>Cannot read the passphrase file {path}: {reason}.</source>
        <translation>File frasa sandi {path} tidak bisa dibaca: {reason}.</translation>
    </message>
    <message>
        <source>Check the path and that the file contains the passphrase on its first line.</source>
        <translation>Periksa lokasinya, dan pastikan baris pertama file berisi frasa sandi.</translation>
    </message>
    <message>
        <source>The two passphrases you typed are not the same.</source>
        <translation>Dua frasa sandi yang Anda ketik tidak sama.</translation>
    </message>
    <message>
        <source>Nothing was changed; try again.</source>
        <translation>Tidak ada yang diubah; coba lagi.</translation>
    </message>
    <message>
        <source>The passphrase is too short ({length} characters).</source>
        <translation>Frasa sandi terlalu pendek ({length} karakter).</translation>
    </message>
    <message>
        <source>Use at least 8 characters; a few unrelated words are easy to remember and hard to guess.</source>
        <translation>Gunakan paling sedikit 8 karakter; beberapa kata yang tidak saling berhubungan mudah diingat dan sulit ditebak.</translation>
    </message>
    <message>
        <source>Could not set up the system schedule: {reason}.</source>
        <translation>Jadwal sistem tidak bisa disiapkan: {reason}.</translation>
    </message>
    <message>
        <source>Keep KasirBackup running in the tray instead, or set up the task by hand with the command shown by &apos;kasirbackup schedule show&apos;.</source>
        <translation>Sebagai gantinya, biarkan KasirBackup berjalan di baki sistem, atau siapkan tugasnya secara manual dengan perintah yang ditampilkan oleh &apos;kasirbackup schedule show&apos;.</translation>
    </message>
    <message>
        <source>The backup disk {disk} is not connected (the backups go to {path}).</source>
        <translation>Disk cadangan {disk} tidak terhubung (cadangan disimpan ke {path}).</translation>
    </message>
    <message>
        <source>Plug the disk in (or connect the network drive) and try again; nothing was written anywhere else.</source>
        <translation>Colokkan disknya (atau hubungkan drive jaringannya) lalu coba lagi; tidak ada yang ditulis ke tempat lain.</translation>
    </message>
    <message>
        <source>The settings file {path} cannot be read: {reason}.</source>
        <translation>File pengaturan {path} tidak bisa dibaca: {reason}.</translation>
    </message>
    <message>
        <source>A copy was kept as {backup}; fix or remove the file and set up the profile again.</source>
        <translation>Salinannya disimpan sebagai {backup}; perbaiki atau hapus file itu, lalu atur profil lagi.</translation>
    </message>
    <message>
        <source>The settings file {path} was written by a newer version of KasirBackup (settings version {version}).</source>
        <translation>File pengaturan {path} ditulis oleh KasirBackup versi yang lebih baru (versi pengaturan {version}).</translation>
    </message>
    <message>
        <source>Update KasirBackup.</source>
        <translation>Perbarui KasirBackup.</translation>
    </message>
    <message>
        <source>There is no profile named {name}.</source>
        <translation>Tidak ada profil bernama {name}.</translation>
    </message>
    <message>
        <source>Profiles: {names}.</source>
        <translation>Profil yang ada: {names}.</translation>
    </message>
    <message>
        <source>A profile named {name} exists already.</source>
        <translation>Profil bernama {name} sudah ada.</translation>
    </message>
    <message>
        <source>Choose another name, or remove the old profile first.</source>
        <translation>Pilih nama lain, atau hapus dulu profil yang lama.</translation>
    </message>
    <message>
        <source>{text} is not a schedule.</source>
        <translation>{text} bukan jadwal yang benar.</translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a share of the data to read.</source>
        <translation>&apos;{text}&apos; bukan takaran bagian data yang bisa dibaca.</translation>
    </message>
    <message>
        <source>Write a percentage such as 10% or a group such as 1/4.</source>
        <translation>Tulis persentase seperti 10% atau kelompok seperti 1/4.</translation>
    </message>
    <message>
        <source>The passphrase does not open the repository at {path}.</source>
        <translation>Frasa sandi itu tidak bisa membuka folder cadangan di {path}.</translation>
    </message>
    <message>
        <source>Check the passphrase (it is case-sensitive) and try again.</source>
        <translation>Periksa frasa sandinya (huruf besar dan kecil dibedakan), lalu coba lagi.</translation>
    </message>
    <message>
        <source>The repository at {path} is encrypted and no passphrase was given.</source>
        <translation>Folder cadangan di {path} terenkripsi dan frasa sandi belum diberikan.</translation>
    </message>
    <message>
        <source>Run the command on a terminal to type it, or give it with --passphrase-file FILE or the KASIRBACKUP_PASSPHRASE variable, or save it in this computer&apos;s credential store.</source>
        <translation>Jalankan perintahnya di terminal untuk mengetiknya, atau berikan lewat --passphrase-file FILE atau variabel KASIRBACKUP_PASSPHRASE, atau simpan di penyimpanan kredensial komputer ini.</translation>
    </message>
    <message>
        <source>The database file {path} does not exist.</source>
        <translation>File database {path} tidak ada.</translation>
    </message>
    <message>
        <source>There is no safety backup of {path} in {repo}: nothing to undo.</source>
        <translation>Tidak ada cadangan pengaman {path} di {repo}: tidak ada yang bisa dibatalkan.</translation>
    </message>
    <message>
        <source>A safety backup is taken before every restore and import into the database; give the backup folder it went to with --repo.</source>
        <translation>Cadangan pengaman dibuat sebelum setiap pemulihan dan impor ke database; sebutkan folder cadangan tempatnya dengan --repo.</translation>
    </message>
    <message>
        <source>The profile {name} in the settings cannot be used: {reason}.</source>
        <translation>Profil {name} di pengaturan tidak bisa dipakai: {reason}.</translation>
    </message>
    <message>
        <source>Fix it in the settings file, or remove it with &apos;kasirbackup profile remove {name}&apos; and add it again; the other profiles work as usual.</source>
        <translation>Perbaiki di file pengaturan, atau hapus dengan &apos;kasirbackup profile remove {name}&apos; lalu tambahkan lagi; profil lain tetap berjalan seperti biasa.</translation>
    </message>
    <message>
        <source>Check the path, or pick the database again.</source>
        <translation>Periksa lokasinya, atau pilih database sekali lagi.</translation>
    </message>
    <message>
        <source>{path} is a folder, not a database file.</source>
        <translation>{path} adalah folder, bukan file database.</translation>
    </message>
    <message>
        <source>Pick the database file itself (for example kasir.db).</source>
        <translation>Pilih file database-nya sendiri (misalnya kasir.db).</translation>
    </message>
    <message>
        <source>Cannot read the database file {path}: {reason}.</source>
        <translation>File database {path} tidak bisa dibaca: {reason}.</translation>
    </message>
    <message>
        <source>Check that your user may read the file.</source>
        <translation>Pastikan akun pengguna Anda boleh membaca file itu.</translation>
    </message>
    <message>
        <source>The file {path} is empty (0 bytes), so it holds no database.</source>
        <translation>File {path} kosong (0 byte), jadi tidak berisi database.</translation>
    </message>
    <message>
        <source>Pick the database your application really uses.</source>
        <translation>Pilih database yang benar-benar dipakai aplikasi Anda.</translation>
    </message>
    <message>
        <source>The file {path} is not an SQLite database (or it is encrypted, for example with SQLCipher).</source>
        <translation>File {path} bukan database SQLite (atau terenkripsi, misalnya dengan SQLCipher).</translation>
    </message>
    <message>
        <source>Pick the database file your application uses; encrypted databases cannot be backed up by reading them.</source>
        <translation>Pilih file database yang dipakai aplikasi Anda; database terenkripsi tidak bisa dicadangkan dengan cara membacanya.</translation>
    </message>
    <message>
        <source>The database {path} is damaged: {reason}.</source>
        <translation>Database {path} rusak: {reason}.</translation>
    </message>
    <message>
        <source>Do not write to it any more; restore the newest good backup.</source>
        <translation>Jangan menulis ke database itu lagi; pulihkan cadangan baik yang paling baru.</translation>
    </message>
    <message>
        <source>The database {path} stayed locked by another program for {seconds} seconds.</source>
        <translation>Database {path} dikunci program lain selama {seconds} detik.</translation>
    </message>
    <message>
        <source>Close the POS application (or wait until it is idle) and try again.</source>
        <translation>Tutup aplikasi kasir (atau tunggu sampai sedang tidak dipakai), lalu coba lagi.</translation>
    </message>
    <message>
        <source>The database {path} changed too often to take a consistent copy without making the POS wait.</source>
        <translation>Database {path} terlalu sering berubah sehingga salinan yang utuh tidak bisa dibuat tanpa membuat aplikasi kasir menunggu.</translation>
    </message>
    <message>
        <source>The backup was not taken and nothing was changed; try again when the shop is quieter.</source>
        <translation>Cadangan tidak dibuat dan tidak ada yang diubah; coba lagi saat toko lebih sepi.</translation>
    </message>
    <message>
        <source>The backup location {path} is a file, not a folder.</source>
        <translation>Lokasi cadangan {path} adalah file, bukan folder.</translation>
    </message>
    <message>
        <source>Choose a folder for the backups.</source>
        <translation>Pilih sebuah folder untuk cadangan.</translation>
    </message>
    <message>
        <source>There is no backup repository at {path}.</source>
        <translation>Tidak ada folder cadangan di {path}.</translation>
    </message>
    <message>
        <source>Check the path, or make a backup there first to create one.</source>
        <translation>Periksa lokasinya, atau buat cadangan di sana lebih dulu agar folder cadangan dibuat.</translation>
    </message>
    <message>
        <source>The folder {path} is not empty and is not a KasirBackup repository.</source>
        <translation>Folder {path} tidak kosong dan bukan folder cadangan KasirBackup.</translation>
    </message>
    <message>
        <source>Choose an empty folder, or the folder that already holds your backups.</source>
        <translation>Pilih folder kosong, atau folder yang sudah berisi cadangan Anda.</translation>
    </message>
    <message>
        <source>Cannot write to the backup folder {path} (permission denied).</source>
        <translation>Tidak bisa menulis ke folder cadangan {path} (izin ditolak).</translation>
    </message>
    <message>
        <source>Choose a folder you can write to, or ask for write permission.</source>
        <translation>Pilih folder yang bisa Anda tulisi, atau minta izin menulis.</translation>
    </message>
    <message>
        <source>The backup location {path} is read-only (a write-protected disk or a read-only share).</source>
        <translation>Lokasi cadangan {path} hanya bisa dibaca (disk yang dilindungi dari penulisan atau folder jaringan baca-saja).</translation>
    </message>
    <message>
        <source>Use a writable disk or folder; the backups on it can still be listed, checked and restored.</source>
        <translation>Gunakan disk atau folder yang bisa ditulisi; cadangan yang ada di sana tetap bisa dilihat, diperiksa, dan dipulihkan.</translation>
    </message>
    <message>
        <source>The disk holding {path} is full.</source>
        <translation>Disk tempat {path} penuh.</translation>
    </message>
    <message>
        <source>Free some space or choose another backup location; the existing backups are unchanged.</source>
        <translation>Kosongkan sebagian ruang atau pilih lokasi cadangan lain; cadangan yang sudah ada tidak berubah.</translation>
    </message>
    <message>
        <source>The repository at {path} uses format version {version}, which this version of KasirBackup cannot read.</source>
        <translation>Folder cadangan di {path} memakai format versi {version}, yang tidak bisa dibaca oleh versi KasirBackup ini.</translation>
    </message>
    <message>
        <source>The backup repository is damaged: {detail}.</source>
        <translation>Folder cadangan rusak: {detail}.</translation>
    </message>
    <message>
        <source>Run &apos;kasirbackup verify --all&apos; to see which backups are affected, and use another copy for those.</source>
        <translation>Jalankan &apos;kasirbackup verify --all&apos; untuk melihat cadangan mana yang terkena, dan gunakan salinan lain untuk cadangan tersebut.</translation>
    </message>
    <message>
        <source>The backup repository is in use by {owner} since {since}.</source>
        <translation>Folder cadangan sedang dipakai oleh {owner} sejak {since}.</translation>
    </message>
    <message>
        <source>Wait for that backup to finish. If no backup is running, the lock is left over from a crash and is removed automatically after {stale_after} minutes.</source>
        <translation>Tunggu sampai pencadangan itu selesai. Jika tidak ada pencadangan yang berjalan, kunci itu sisa dari program yang berhenti mendadak dan akan dihapus otomatis setelah {stale_after} menit.</translation>
    </message>
    <message>
        <source>The repository at {path} is encrypted, and this version cannot decrypt it.</source>
        <translation>Folder cadangan di {path} terenkripsi, dan versi ini tidak bisa membukanya.</translation>
    </message>
    <message>
        <source>Could not write {path}: {reason}.</source>
        <translation>Tidak bisa menulis {path}: {reason}.</translation>
    </message>
    <message>
        <source>Check the disk and try again; the existing backups are unchanged.</source>
        <translation>Periksa disknya, lalu coba lagi; cadangan yang sudah ada tidak berubah.</translation>
    </message>
    <message>
        <source>No backup with id {ref} in this repository.</source>
        <translation>Tidak ada cadangan dengan id {ref} di folder cadangan ini.</translation>
    </message>
    <message>
        <source>Run &apos;kasirbackup list&apos; to see the backup ids.</source>
        <translation>Jalankan &apos;kasirbackup list&apos; untuk melihat id cadangan.</translation>
    </message>
    <message>
        <source>The id {ref} matches {count} backups.</source>
        <translation>Id {ref} cocok dengan {count} cadangan.</translation>
    </message>
    <message>
        <source>Type more characters of the id.</source>
        <translation>Ketik lebih banyak karakter dari id-nya.</translation>
    </message>
    <message>
        <source>The repository has no backups yet.</source>
        <translation>Folder cadangan ini belum berisi cadangan.</translation>
    </message>
    <message>
        <source>Make a backup first.</source>
        <translation>Buat cadangan terlebih dahulu.</translation>
    </message>
    <message>
        <source>Backup {snapshot} failed verification: {detail}.</source>
        <translation>Cadangan {snapshot} gagal diperiksa: {detail}.</translation>
    </message>
    <message>
        <source>It will not be restored. Choose an older backup that verifies.</source>
        <translation>Cadangan ini tidak akan dipulihkan. Pilih cadangan lebih lama yang lolos pemeriksaan.</translation>
    </message>
    <message>
        <source>{path} already exists.</source>
        <translation>{path} sudah ada.</translation>
    </message>
    <message>
        <source>Choose a new file name; restoring into an existing database is a separate, confirmed step.</source>
        <translation>Pilih nama file baru; memulihkan ke database yang sudah ada adalah langkah terpisah yang perlu dikonfirmasi.</translation>
    </message>
    <message>
        <source>{path} is a folder.</source>
        <translation>{path} adalah folder.</translation>
    </message>
    <message>
        <source>Give the path of the database file to create, for example {path}/kasir.db.</source>
        <translation>Berikan lokasi file database yang akan dibuat, misalnya {path}/kasir.db.</translation>
    </message>
    <message>
        <source>The folder {path} does not exist.</source>
        <translation>Folder {path} tidak ada.</translation>
    </message>
    <message>
        <source>Create the folder first or choose another location.</source>
        <translation>Buat foldernya dulu atau pilih lokasi lain.</translation>
    </message>
    <message>
        <source>Cancelled; nothing was changed.</source>
        <translation>Dibatalkan; tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>The database has no table named {names}.</source>
        <translation>Database tidak punya tabel bernama {names}.</translation>
    </message>
    <message>
        <source>Tables that can be exported: {available}.</source>
        <translation>Tabel yang bisa diekspor: {available}.</translation>
    </message>
    <message>
        <source>Choose a new name for the export (existing files are never overwritten).</source>
        <translation>Pilih nama baru untuk hasil ekspor (file yang sudah ada tidak pernah ditimpa).</translation>
    </message>
    <message>
        <source>Create the folder first or choose another location for the export.</source>
        <translation>Buat foldernya dulu atau pilih lokasi lain untuk hasil ekspor.</translation>
    </message>
    <message>
        <source>Could not write the export {path}: {reason}.</source>
        <translation>Hasil ekspor {path} tidak bisa ditulis: {reason}.</translation>
    </message>
    <message>
        <source>Check that the disk has free space and that you may write there; no partial export was left behind.</source>
        <translation>Pastikan disk masih punya ruang kosong dan Anda boleh menulis di sana; tidak ada hasil ekspor setengah jadi yang tertinggal.</translation>
    </message>
    <message>
        <source>Unknown export format {format}.</source>
        <translation>Format ekspor {format} tidak dikenal.</translation>
    </message>
    <message>
        <source>Choose csv, json, xlsx or sql.</source>
        <translation>Pilih csv, json, xlsx, atau sql.</translation>
    </message>
    <message>
        <source>Backup {snapshot} was taken from a different database than {path}: {differences}.</source>
        <translation>Cadangan {snapshot} dibuat dari database yang berbeda dengan {path}: {differences}.</translation>
    </message>
    <message>
        <source>Check that you picked the right backup and the right database. To restore it anyway, confirm explicitly (--force-other-database).</source>
        <translation>Pastikan Anda memilih cadangan dan database yang benar. Untuk tetap memulihkannya, konfirmasikan secara tegas (--force-other-database).</translation>
    </message>
    <message>
        <source>The file {path} does not exist.</source>
        <translation>File {path} tidak ada.</translation>
    </message>
    <message>
        <source>Check the path of the file to import.</source>
        <translation>Periksa lokasi file yang akan diimpor.</translation>
    </message>
    <message>
        <source>{path} is not a file KasirBackup can import ({detail}).</source>
        <translation>{path} bukan file yang bisa diimpor KasirBackup ({detail}).</translation>
    </message>
    <message>
        <source>Import the .json, .xlsx or .csv files (or the folder or .zip of CSV files) made by &apos;kasirbackup export&apos;.</source>
        <translation>Impor file .json, .xlsx, atau .csv (atau folder atau .zip berisi file CSV) yang dibuat oleh &apos;kasirbackup export&apos;.</translation>
    </message>
    <message>
        <source>The file {path} was not made by KasirBackup&apos;s export: {detail}.</source>
        <translation>File {path} tidak dibuat oleh fitur ekspor KasirBackup: {detail}.</translation>
    </message>
    <message>
        <source>Import works with the JSON, XLSX and CSV files made by &apos;kasirbackup export&apos;; nothing was changed.</source>
        <translation>Impor hanya untuk file JSON, XLSX, dan CSV yang dibuat oleh &apos;kasirbackup export&apos;; tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>The file {path} ends too early: it was cut off ({detail}).</source>
        <translation>File {path} berakhir terlalu cepat: isinya terpotong ({detail}).</translation>
    </message>
    <message>
        <source>The copy or download was probably interrupted; export the data again. Nothing was changed.</source>
        <translation>Penyalinan atau pengunduhannya mungkin terputus; ekspor datanya lagi. Tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>The file {path} is damaged at {where}: {detail}.</source>
        <translation>File {path} rusak di {where}: {detail}.</translation>
    </message>
    <message>
        <source>Export the data again; nothing was changed.</source>
        <translation>Ekspor datanya lagi; tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>The file {path} is not laid out like a KasirBackup export at {where}: {detail}.</source>
        <translation>Susunan file {path} di {where} tidak seperti hasil ekspor KasirBackup: {detail}.</translation>
    </message>
    <message>
        <source>Nothing was changed. Export the data again, or fix the file.</source>
        <translation>Tidak ada yang diubah. Ekspor datanya lagi, atau perbaiki filenya.</translation>
    </message>
    <message>
        <source>The workbook {path} does not match its export: {detail}.</source>
        <translation>Buku kerja {path} tidak cocok dengan hasil ekspornya: {detail}.</translation>
    </message>
    <message>
        <source>Nothing was changed. Keep the sheets and header rows as they were exported (do not rename, add or remove sheets or columns); adding and editing rows is fine.</source>
        <translation>Tidak ada yang diubah. Biarkan lembar dan baris judul seperti saat diekspor (jangan ganti nama, tambah, atau hapus lembar maupun kolom); menambah dan mengubah baris boleh.</translation>
    </message>
    <message>
        <source>The file {path} is too large to import safely: {detail}.</source>
        <translation>File {path} terlalu besar untuk diimpor dengan aman: {detail}.</translation>
    </message>
    <message>
        <source>The CSV file {path} separates its values with {delimiter} instead of commas.</source>
        <translation>File CSV {path} memisahkan nilainya dengan {delimiter}, bukan koma.</translation>
    </message>
    <message>
        <source>Save it again as &apos;CSV UTF-8 (comma delimited)&apos; (in Excel: File &gt; Save As), or export it again.</source>
        <translation>Simpan lagi sebagai &apos;CSV UTF-8 (comma delimited)&apos; (di Excel: File &gt; Save As), atau ekspor lagi.</translation>
    </message>
    <message>
        <source>The CSV file {path} is not UTF-8 text ({detail}).</source>
        <translation>File CSV {path} bukan teks UTF-8 ({detail}).</translation>
    </message>
    <message>
        <source>The file holds table {table}, which the database {path} does not have.</source>
        <translation>File berisi tabel {table}, yang tidak ada di database {path}.</translation>
    </message>
    <message>
        <source>Nothing was changed. Check that you chose the right database (or update the application first).</source>
        <translation>Tidak ada yang diubah. Pastikan Anda memilih database yang benar (atau perbarui aplikasinya dulu).</translation>
    </message>
    <message>
        <source>Table {table} of the file does not fit the database: {detail}.</source>
        <translation>Tabel {table} di file tidak cocok dengan database: {detail}.</translation>
    </message>
    <message>
        <source>Nothing was changed. The file was probably made by another version of the application.</source>
        <translation>Tidak ada yang diubah. File itu mungkin dibuat oleh versi aplikasi yang lain.</translation>
    </message>
    <message>
        <source>Rows of table {table} cannot be matched for a merge: {detail}.</source>
        <translation>Baris tabel {table} tidak bisa dicocokkan untuk digabung: {detail}.</translation>
    </message>
    <message>
        <source>Nothing was changed. Import with --mode replace to replace the table&apos;s contents instead.</source>
        <translation>Tidak ada yang diubah. Impor dengan --mode replace untuk mengganti seluruh isi tabel.</translation>
    </message>
    <message>
        <source>The file has {count} rows of table {table} whose key appears more than once (first: {example}).</source>
        <translation>File berisi {count} baris tabel {table} yang kuncinya muncul lebih dari sekali (yang pertama: {example}).</translation>
    </message>
    <message>
        <source>Nothing was changed. Each row may appear only once in the file; remove the duplicates and try again.</source>
        <translation>Tidak ada yang diubah. Setiap baris hanya boleh muncul sekali di file; hapus yang ganda, lalu coba lagi.</translation>
    </message>
    <message>
        <source>The file {file} was exported from a different database than {path}: {differences}.</source>
        <translation>File {file} diekspor dari database yang berbeda dengan {path}: {differences}.</translation>
    </message>
    <message>
        <source>Examples: continuous, continuous:120, daily@23:00, weekly:mon,thu@22:30, monthly:1@23:00, off.</source>
        <translation>Contoh: continuous, continuous:120, daily@23:00, weekly:mon,thu@22:30, monthly:1@23:00, off.</translation>
    </message>
    <message>
        <source>{path} is not a folder.</source>
        <translation>{path} bukan folder.</translation>
    </message>
    <message>
        <source>Give the folder that holds the database&apos;s files (for example static/uploads next to the database).</source>
        <translation>Pilih folder yang menyimpan berkas-berkas database (misalnya static/uploads di samping database).</translation>
    </message>
    <message>
        <source>Choose a new folder for the attachment files (or an empty one); nothing was written.</source>
        <translation>Pilih folder baru (atau yang kosong) untuk berkas lampiran; tidak ada yang ditulis.</translation>
    </message>
    <message>
        <source>Backup {snapshot} holds no attachment folders.</source>
        <translation>Cadangan {snapshot} tidak berisi folder lampiran.</translation>
    </message>
    <message>
        <source>Only backups taken with attachment folders (--attach DIR, or set in the profile) hold files to restore.</source>
        <translation>Hanya cadangan yang dibuat dengan folder lampiran (--attach DIR, atau diatur di profil) yang berisi berkas untuk dipulihkan.</translation>
    </message>
    <message>
        <source>{path} is not among the attachment files of backup {snapshot}.</source>
        <translation>{path} tidak ada di antara berkas lampiran cadangan {snapshot}.</translation>
    </message>
    <message>
        <source>Give the path inside the attachment folder (for example uploads/photo.jpg) or the file&apos;s original full path; &apos;kasirbackup list --json&apos; names each backup&apos;s folders.</source>
        <translation>Tulis jalurnya di dalam folder lampiran (misalnya uploads/foto.jpg) atau jalur lengkap aslinya; &apos;kasirbackup list --json&apos; menyebut folder setiap cadangan.</translation>
    </message>
    <message>
        <source>{programs} has the database {path} open.</source>
        <translation>{programs} sedang membuka database {path}.</translation>
    </message>
    <message>
        <source>Close it and try again, or wait for it with --wait SECONDS. Going ahead anyway (--even-if-open) lets that program keep its own ids and hand out again ids of sales it already gave.</source>
        <translation>Tutup program itu lalu coba lagi, atau tunggu sampai tertutup dengan --wait DETIK. Tetap melanjutkan (--even-if-open) membuat program itu memakai nomornya sendiri dan bisa memberi lagi nomor transaksi yang sudah pernah diberikan.</translation>
    </message>
    <message>
        <source>Cannot tell whether another program has the database {path} open ({why}).</source>
        <translation>Tidak bisa memastikan apakah ada program lain yang membuka database {path} ({why}).</translation>
    </message>
    <message>
        <source>Close the POS application and any other program that uses it, then go ahead with --even-if-open.</source>
        <translation>Tutup aplikasi kasir dan program lain yang memakainya, lalu lanjutkan dengan --even-if-open.</translation>
    </message>
    <message>
        <source>{path} is not a CSV, JSON or Excel file exported by KasirBackup ({detail}).</source>
        <translation>{path} bukan file CSV, JSON, atau Excel hasil ekspor KasirBackup ({detail}).</translation>
    </message>
    <message>
        <source>Choose one of those files (.csv, .json or .xlsx, or the .zip of CSV files); nothing was changed.</source>
        <translation>Pilih salah satu file itu (.csv, .json atau .xlsx, atau .zip berisi file CSV); tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>Nothing was changed. The file may be damaged or made to do harm: export the data again. Very large values (over 16 MB each) come back by restoring a backup, not by an import.</source>
        <translation>Tidak ada yang diubah. File ini mungkin rusak atau sengaja dibuat untuk merusak: ekspor data lagi. Nilai yang sangat besar (lebih dari 16 MB per nilai) kembali dengan memulihkan cadangan, bukan dengan impor.</translation>
    </message>
    <message>
        <source>Check that you picked the right file and the right database. To import it anyway, confirm explicitly (--force-other-database).</source>
        <translation>Pastikan Anda memilih file dan database yang benar. Untuk tetap mengimpornya, konfirmasikan secara tegas (--force-other-database).</translation>
    </message>
    <message>
        <source>The import was not done: {count} rows of the file cannot go into the database ({detail}).</source>
        <translation>Impor tidak dilakukan: {count} baris dari file tidak bisa masuk ke database ({detail}).</translation>
    </message>
    <message>
        <source>Nothing was changed. Run the import with --dry-run to see every problem, fix the file and try again.</source>
        <translation>Tidak ada yang diubah. Jalankan impor dengan --dry-run untuk melihat semua masalah, perbaiki filenya, lalu coba lagi.</translation>
    </message>
    <message>
        <source>The structure of {path} changed while the file was being read.</source>
        <translation>Struktur {path} berubah saat file sedang dibaca.</translation>
    </message>
    <message>
        <source>Nothing was changed; run the import again.</source>
        <translation>Tidak ada yang diubah; jalankan impor lagi.</translation>
    </message>
    <message>
        <source>Could not take the safety backup of {path} before importing: {detail}.</source>
        <translation>Cadangan pengaman {path} tidak bisa dibuat sebelum impor: {detail}.</translation>
    </message>
    <message>
        <source>Nothing was imported and the database is unchanged. Fix the problem with the backup location and try again.</source>
        <translation>Tidak ada yang diimpor dan database tidak berubah. Perbaiki masalah pada lokasi cadangan, lalu coba lagi.</translation>
    </message>
    <message>
        <source>Unknown import mode {mode}.</source>
        <translation>Mode impor {mode} tidak dikenal.</translation>
    </message>
    <message>
        <source>Use merge or replace.</source>
        <translation>Gunakan merge atau replace.</translation>
    </message>
    <message>
        <source>{text} is not a date and time.</source>
        <translation>{text} bukan tanggal dan jam.</translation>
    </message>
    <message>
        <source>Write it as &quot;2026-12-04 14:30&quot; (local time) or with an offset, e.g. 2026-12-04T14:30+07:00.</source>
        <translation>Tulis seperti &quot;2026-12-04 14:30&quot; (waktu setempat) atau dengan selisih zona waktu, misalnya 2026-12-04T14:30+07:00.</translation>
    </message>
    <message>
        <source>There is no checked backup taken at or before {moment}.</source>
        <translation>Tidak ada cadangan yang sudah diperiksa yang dibuat pada atau sebelum {moment}.</translation>
    </message>
    <message>
        <source>The oldest checked backup here is from {oldest}; choose a later time, or see them with list.</source>
        <translation>Cadangan terperiksa tertua di sini dari {oldest}; pilih waktu yang lebih lambat, atau lihat daftarnya dengan list.</translation>
    </message>
    <message>
        <source>This backup location holds backups of {count} databases: {names}.</source>
        <translation>Tempat cadangan ini berisi cadangan dari {count} database: {names}.</translation>
    </message>
    <message>
        <source>Say which backup with --snapshot ID (see them with list).</source>
        <translation>Sebutkan cadangan yang mana dengan --snapshot ID (lihat daftarnya dengan list).</translation>
    </message>
    <message>
        <source>The plain copy of the database can only be kept in a folder repository, not at {location}.</source>
        <translation>Salinan biasa database hanya bisa disimpan di folder cadangan biasa, tidak di {location}.</translation>
    </message>
    <message>
        <source>Leave the plain-copy option off for this backup location.</source>
        <translation>Matikan pilihan salinan biasa untuk lokasi cadangan ini.</translation>
    </message>
    <message>
        <source>An encrypted repository cannot keep a plain (unencrypted) copy of the database.</source>
        <translation>Folder cadangan terenkripsi tidak bisa menyimpan salinan biasa (tidak terenkripsi) dari database.</translation>
    </message>
    <message>
        <source>Leave the plain-copy option off for encrypted backups.</source>
        <translation>Matikan pilihan salinan biasa untuk cadangan terenkripsi.</translation>
    </message>
    <message>
        <source>The backup location {location} is not supported by this version.</source>
        <translation>Lokasi cadangan {location} tidak didukung oleh versi ini.</translation>
    </message>
    <message>
        <source>Use a folder (local disk, USB disk, network share or cloud-sync folder) or s3://BUCKET/FOLDER.</source>
        <translation>Gunakan folder (disk lokal, disk USB, folder jaringan, atau folder sinkronisasi cloud) atau s3://BUCKET/FOLDER.</translation>
    </message>
    <message>
        <source>The database {path} is in use by another program.</source>
        <translation>Database {path} sedang dipakai program lain.</translation>
    </message>
    <message>
        <source>Close the POS application (and any other program using {name}) and try again, or wait for it with --wait SECONDS.</source>
        <translation>Tutup aplikasi kasir (dan program lain yang memakai {name}), lalu coba lagi, atau tunggu dengan --wait SECONDS.</translation>
    </message>
    <message>
        <source>The database {path} cannot be changed (it or its folder is read-only).</source>
        <translation>Database {path} tidak bisa diubah (file atau foldernya hanya bisa dibaca).</translation>
    </message>
    <message>
        <source>Check the file&apos;s permissions, or restore the backup as a new file instead.</source>
        <translation>Periksa izin filenya, atau pulihkan cadangan sebagai file baru.</translation>
    </message>
    <message>
        <source>The backup has no table named {names}.</source>
        <translation>Cadangan tidak punya tabel bernama {names}.</translation>
    </message>
    <message>
        <source>Tables in this backup: {available}.</source>
        <translation>Tabel di cadangan ini: {available}.</translation>
    </message>
    <message>
        <source>This cannot be done safely: {detail}.</source>
        <translation>Ini tidak bisa dilakukan dengan aman: {detail}.</translation>
    </message>
    <message>
        <source>Nothing was changed. Restore the whole database, or restore the backup as a new file and copy the rows you need.</source>
        <translation>Tidak ada yang diubah. Pulihkan seluruh database, atau pulihkan cadangan sebagai file baru lalu salin baris yang Anda perlukan.</translation>
    </message>
    <message>
        <source>Could not take the safety backup of {path} before restoring: {detail}.</source>
        <translation>Cadangan pengaman {path} tidak bisa dibuat sebelum pemulihan: {detail}.</translation>
    </message>
    <message>
        <source>Nothing was restored and the database is unchanged. Fix the problem with the backup location and try again.</source>
        <translation>Tidak ada yang dipulihkan dan database tidak berubah. Perbaiki masalah pada lokasi cadangan, lalu coba lagi.</translation>
    </message>
    <message>
        <source>The restored database did not pass its check ({detail}); the database was put back as it was.</source>
        <translation>Database hasil pemulihan tidak lolos pemeriksaan ({detail}); database dikembalikan seperti semula.</translation>
    </message>
    <message>
        <source>Nothing was lost. Try an older backup, and keep the safety backup {safety}.</source>
        <translation>Tidak ada yang hilang. Coba cadangan yang lebih lama, dan simpan cadangan pengaman {safety}.</translation>
    </message>
    <message>
        <source>The restore into {path} could not be completed: {reason}.</source>
        <translation>Pemulihan ke {path} tidak bisa diselesaikan: {reason}.</translation>
    </message>
    <message>
        <source>Nothing was changed (the change was rolled back). The safety backup {safety} holds the database as it was.</source>
        <translation>Tidak ada yang diubah (perubahan dibatalkan). Cadangan pengaman {safety} menyimpan database seperti semula.</translation>
    </message>
    <message>
        <source>The merge would attach rows of {table} to other rows than in the backup ({detail}).</source>
        <translation>Penggabungan akan menempelkan baris {table} ke baris lain daripada di cadangan ({detail}).</translation>
    </message>
    <message>
        <source>Nothing was changed. Restore the backup as a copy and compare it with the database by hand.</source>
        <translation>Tidak ada yang diubah. Pulihkan cadangan sebagai salinan lalu bandingkan dengan database secara manual.</translation>
    </message>
    <message>
        <source>Restoring {tables} alone would leave rows pointing at rows that do not exist: {detail}.</source>
        <translation>Memulihkan {tables} saja akan menyisakan baris yang merujuk ke baris yang tidak ada: {detail}.</translation>
    </message>
    <message>
        <source>Nothing was changed. Include the related tables as well (for example: {suggest}).</source>
        <translation>Tidak ada yang diubah. Sertakan juga tabel yang berkaitan (misalnya: {suggest}).</translation>
    </message>
    <message>
        <source>{text} is not a duration.</source>
        <translation>{text} bukan lama waktu yang benar.</translation>
    </message>
    <message>
        <source>Write it like 7d, 2w, 6m, 1y or 1y6m12d (h hours, d days, w weeks, m months, y years).</source>
        <translation>Tulis seperti 7d, 2w, 6m, 1y, atau 1y6m12d (h jam, d hari, w minggu, m bulan, y tahun).</translation>
    </message>
    <message>
        <source>Remove it (or point KASIRBACKUP_SCRATCH_DIR at a folder of your own) and try again; nothing was written there.</source>
        <translation>Hapus folder itu (atau arahkan KASIRBACKUP_SCRATCH_DIR ke folder milik Anda sendiri), lalu coba lagi; tidak ada yang ditulis di sana.</translation>
    </message>
    <message>
        <source>The database {path} was left half-written by the program that uses it, and it cannot be repaired here because its folder or disk is read-only.</source>
        <translation>Database {path} ditinggalkan setengah tertulis oleh program yang memakainya, dan tidak bisa diperbaiki di sini karena folder atau disknya hanya bisa dibaca.</translation>
    </message>
    <message>
        <source>Open the database once with that program on a writable disk (it repairs itself), or copy the whole folder, with its -journal file, to a writable disk and back up that copy.</source>
        <translation>Buka database itu sekali dengan program tersebut di disk yang bisa ditulisi (database akan memperbaiki dirinya), atau salin seluruh foldernya, beserta file -journal, ke disk yang bisa ditulisi lalu cadangkan salinan itu.</translation>
    </message>
    <message>
        <source>{path} in the backup folder is a link to another place; nothing was written, moved or deleted through it.</source>
        <translation>{path} di folder cadangan adalah tautan ke tempat lain; tidak ada yang ditulis, dipindahkan, atau dihapus melaluinya.</translation>
    </message>
    <message>
        <source>Remove the link itself (not what it points to), then try again; the backups are unchanged.</source>
        <translation>Hapus tautannya saja (bukan yang ditunjuknya), lalu coba lagi; cadangan tidak berubah.</translation>
    </message>
    <message>
        <source>{location} is not a valid off-site storage address: {reason}.</source>
        <translation>{location} bukan alamat penyimpanan cloud yang benar: {reason}.</translation>
    </message>
    <message>
        <source>Write it as s3://BUCKET/FOLDER, for example s3://toko-backup/kasir.</source>
        <translation>Tulis sebagai s3://BUCKET/FOLDER, misalnya s3://toko-backup/kasir.</translation>
    </message>
    <message>
        <source>The off-site storage has no bucket named {bucket}.</source>
        <translation>Penyimpanan cloud tidak punya bucket bernama {bucket}.</translation>
    </message>
    <message>
        <source>Check the bucket name in {location}, or create the bucket in the storage provider&apos;s console first.</source>
        <translation>Periksa nama bucket di {location}, atau buat dulu bucket-nya di konsol penyedia penyimpanan.</translation>
    </message>
    <message>
        <source>The off-site storage {location} does not accept the access key.</source>
        <translation>Penyimpanan cloud {location} tidak menerima kunci akses itu.</translation>
    </message>
    <message>
        <source>No access key is set up for the off-site storage {location}.</source>
        <translation>Belum ada kunci akses untuk penyimpanan cloud {location}.</translation>
    </message>
    <message>
        <source>The off-site storage {location} refused access (permission denied).</source>
        <translation>Penyimpanan cloud {location} menolak akses (izin ditolak).</translation>
    </message>
    <message>
        <source>Check that the access key may read, write and delete objects in this bucket and folder.</source>
        <translation>Pastikan kunci akses boleh membaca, menulis, dan menghapus objek di bucket dan folder ini.</translation>
    </message>
    <message>
        <source>The off-site storage cannot be reached ({endpoint}): check the internet connection.</source>
        <translation>Penyimpanan cloud tidak bisa dihubungi ({endpoint}): periksa koneksi internet.</translation>
    </message>
    <message>
        <source>The local backup is not affected; try again later.</source>
        <translation>Cadangan di komputer ini tidak terpengaruh; coba lagi nanti.</translation>
    </message>
    <message>
        <source>The off-site storage {location} answered with an error ({code_}) while working on {what}.</source>
        <translation>Penyimpanan cloud {location} menjawab dengan kesalahan ({code_}) saat mengerjakan {what}.</translation>
    </message>
    <message>
        <source>Try again later; the local backup is not affected.</source>
        <translation>Coba lagi nanti; cadangan di komputer ini tidak terpengaruh.</translation>
    </message>
    <message>
        <source>The off-site storage {location} received a damaged copy of {what}.</source>
        <translation>Penyimpanan cloud {location} menerima salinan {what} yang rusak.</translation>
    </message>
    <message>
        <source>Nothing damaged was kept; check the connection and try again.</source>
        <translation>Tidak ada data rusak yang disimpan; periksa koneksi, lalu coba lagi.</translation>
    </message>
    <message>
        <source>Could not write the scratch copy used to check the backup in {path}: {reason}.</source>
        <translation>Salinan sementara untuk memeriksa cadangan tidak bisa ditulis di {path}: {reason}.</translation>
    </message>
    <message>
        <source>The scratch folder {path} cannot be used safely: it is a link, not a folder, or it belongs to another user.</source>
        <translation>Folder sementara {path} tidak aman dipakai: folder itu berupa tautan, bukan folder, atau milik pengguna lain.</translation>
    </message>
    <message>
        <source>Free some space there (the check needs room for one copy of the database) and try again; the existing backups are unchanged.</source>
        <translation>Kosongkan sebagian ruang di sana (pemeriksaan butuh ruang untuk satu salinan database), lalu coba lagi; cadangan yang sudah ada tidak berubah.</translation>
    </message>
    <message>
        <source>Enter the keys from your provider again (Settings, Backup places, Add online storage); the command line also reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.</source>
        <translation>Masukkan lagi kunci dari penyedia Anda (Pengaturan, Tempat cadangan, Tambah penyimpanan cloud); baris perintah juga membaca AWS_ACCESS_KEY_ID dan AWS_SECRET_ACCESS_KEY.</translation>
    </message>
    <message>
        <source>Enter the keys from your provider (Settings, Backup places, Add online storage); the command line also reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.</source>
        <translation>Masukkan kunci dari penyedia Anda (Pengaturan, Tempat cadangan, Tambah penyimpanan cloud); baris perintah juga membaca AWS_ACCESS_KEY_ID dan AWS_SECRET_ACCESS_KEY.</translation>
    </message>
    <message>
        <source>Something unexpected went wrong. The details are in the log file.</source>
        <translation>Terjadi masalah yang tidak terduga. Detailnya ada di file log.</translation>
    </message>
</context>
<context>
    <name>history</name>
    <message>
        <source>, {n} attachment files or folders not backed up (see the backup&apos;s details)</source>
        <translation>, {n} berkas atau folder lampiran tidak dicadangkan (lihat rincian cadangan)</translation>
    </message>
    <message>
        <source>backup {id} checked by a test restore, {size} added</source>
        <translation>cadangan {id} diperiksa dengan uji pemulihan, {size} ditambahkan</translation>
    </message>
    <message>
        <source>, {n} old backups removed</source>
        <translation>, {n} cadangan lama dihapus</translation>
    </message>
    <message>
        <source>, {n} stored files read back and intact</source>
        <translation>, {n} file tersimpan dibaca ulang dan utuh</translation>
    </message>
    <message>
        <source>backup {id} checked by reading back what it added, {size} added</source>
        <translation>cadangan {id} diperiksa dengan membaca ulang yang ditambahkannya, {size} ditambahkan</translation>
    </message>
    <message>
        <source>backup {id} failed its test restore: {detail}</source>
        <translation>cadangan {id} gagal dalam uji pemulihan: {detail}</translation>
    </message>
    <message>
        <source>cancelled; nothing was changed</source>
        <translation>dibatalkan; tidak ada yang diubah</translation>
    </message>
    <message>
        <source>off-site copy pending: </source>
        <translation>salinan di tempat lain tertunda: </translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>Pencadangan</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Pemulihan</translation>
    </message>
    <message>
        <source>Restore to a file</source>
        <translation>Pemulihan ke file</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Pembatalan</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Impor</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Ekspor</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Pemeriksaan</translation>
    </message>
    <message>
        <source>Old backups removed</source>
        <translation>Cadangan lama dihapus</translation>
    </message>
    <message>
        <source>Command line</source>
        <translation>Baris perintah</translation>
    </message>
    <message>
        <source>the database</source>
        <translation>database</translation>
    </message>
    <message>
        <source>{what} failed: {reason}</source>
        <translation>{what} gagal: {reason}</translation>
    </message>
    <message>
        <source>Merged the backup of {when} into {name}: {n} rows brought back</source>
        <translation>Cadangan {when} digabungkan ke {name}: {n} baris dikembalikan</translation>
    </message>
    <message>
        <source>Restored {n} tables from the backup of {when} into {name}</source>
        <translation>{n} tabel dari cadangan {when} dipulihkan ke {name}</translation>
    </message>
    <message>
        <source>Restored the backup of {when} into {name}</source>
        <translation>Cadangan {when} dipulihkan ke {name}</translation>
    </message>
    <message>
        <source>Restored the backup of {when} as a new file: {path}</source>
        <translation>Cadangan {when} dipulihkan sebagai file baru: {path}</translation>
    </message>
    <message>
        <source>Undid the import: {name} is back as it was at {when}</source>
        <translation>Impor dibatalkan: {name} kembali seperti pada {when}</translation>
    </message>
    <message>
        <source>Undid the restore: {name} is back as it was at {when}</source>
        <translation>Pemulihan dibatalkan: {name} kembali seperti pada {when}</translation>
    </message>
    <message>
        <source>Imported {file} into {name}: {new} new rows, {changed} changed, {removed} removed</source>
        <translation>{file} diimpor ke {name}: {new} baris baru, {changed} diubah, {removed} dihapus</translation>
    </message>
    <message>
        <source>Exported {tables} tables ({rows} rows) of the backup of {when} to {path}</source>
        <translation>{tables} tabel ({rows} baris) dari cadangan {when} diekspor ke {path}</translation>
    </message>
    <message>
        <source>Exported {tables} tables ({rows} rows) of {name} to {path}</source>
        <translation>{tables} tabel ({rows} baris) dari {name} diekspor ke {path}</translation>
    </message>
    <message>
        <source>Removed {n} of {total} backups, {size} freed</source>
        <translation>{n} dari {total} cadangan dihapus, {size} dibebaskan</translation>
    </message>
    <message>
        <source>Read back {read} stored files of {n} backups: all intact</source>
        <translation>{read} file tersimpan dari {n} cadangan dibaca ulang: semuanya utuh</translation>
    </message>
    <message>
        <source>Read back {read} stored files of {n} backups: {problems} problems found</source>
        <translation>{read} file tersimpan dari {n} cadangan dibaca ulang: ditemukan {problems} masalah</translation>
    </message>
    <message>
        <source>Checked the backup of {when}: it restores</source>
        <translation>Cadangan {when} diperiksa: bisa dipulihkan</translation>
    </message>
    <message>
        <source>Checked the backup of {when}: it is damaged</source>
        <translation>Cadangan {when} diperiksa: rusak</translation>
    </message>
    <message>
        <source>Checked {n} backups: all restore</source>
        <translation>{n} cadangan diperiksa: semuanya bisa dipulihkan</translation>
    </message>
    <message>
        <source>Checked {n} backups: {bad} damaged</source>
        <translation>{n} cadangan diperiksa: {bad} rusak</translation>
    </message>
</context>
<context>
    <name>kind</name>
    <message>
        <source>Manual</source>
        <translation>Manual</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>Terjadwal</translation>
    </message>
    <message>
        <source>Catch-up</source>
        <translation>Susulan</translation>
    </message>
    <message>
        <source>Before restore</source>
        <translation>Sebelum pemulihan</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Diimpor</translation>
    </message>
    <message>
        <source>Continuous</source>
        <translation>Terus-menerus</translation>
    </message>
</context>
<context>
    <name>label</name>
    <message>
        <source>Before restoring the backup of {when}</source>
        <translation>Sebelum pemulihan ke {when}</translation>
    </message>
    <message>
        <source>Before restoring a backup that has since been removed</source>
        <translation>Sebelum pemulihan ke cadangan yang sudah dihapus</translation>
    </message>
    <message>
        <source>Before importing {file}</source>
        <translation>Sebelum mengimpor {file}</translation>
    </message>
</context>
<context>
    <name>phase</name>
    <message>
        <source>Copying the database</source>
        <translation>Menyalin database</translation>
    </message>
    <message>
        <source>Storing new data</source>
        <translation>Menyimpan data baru</translation>
    </message>
    <message>
        <source>Checking the backup by a test restore</source>
        <translation>Memeriksa cadangan dengan uji pemulihan</translation>
    </message>
    <message>
        <source>Removing old backups</source>
        <translation>Menghapus cadangan lama</translation>
    </message>
    <message>
        <source>Copying off-site</source>
        <translation>Menyalin ke tempat lain</translation>
    </message>
    <message>
        <source>Restoring</source>
        <translation>Memulihkan</translation>
    </message>
    <message>
        <source>Putting the database back as it was</source>
        <translation>Mengembalikan database seperti semula</translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation>Mengekspor</translation>
    </message>
    <message>
        <source>Reading the file</source>
        <translation>Membaca file</translation>
    </message>
    <message>
        <source>Importing</source>
        <translation>Mengimpor</translation>
    </message>
    <message>
        <source>Waiting for the backup that is running to finish</source>
        <translation>Menunggu pencadangan yang sedang berjalan selesai</translation>
    </message>
    <message>
        <source>Checking the backups&apos; structure</source>
        <translation>Memeriksa struktur cadangan</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>Sedang bekerja</translation>
    </message>
</context>
<context>
    <name>result</name>
    <message>
        <source>Running</source>
        <translation>Berjalan</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Berhasil</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Gagal</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Dilewati</translation>
    </message>
    <message>
        <source>Off-site copy pending</source>
        <translation>Salinan di tempat lain tertunda</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>Terputus</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Dibatalkan</translation>
    </message>
</context>
<context>
    <name>time</name>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} dtk</translation>
    </message>
    <message>
        <source>never</source>
        <translation>belum pernah</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>baru saja</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>%n menit yang lalu</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>%n jam yang lalu</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n hari yang lalu</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n minute(s)</source>
        <translation>
            <numerusform>dalam %n menit</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n hour(s)</source>
        <translation>
            <numerusform>dalam %n jam</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n day(s)</source>
        <translation>
            <numerusform>dalam %n hari</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>trigger</name>
    <message>
        <source>You</source>
        <translation>Anda</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Jadwal</translation>
    </message>
    <message>
        <source>Catch-up</source>
        <translation>Susulan</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Coba lagi</translation>
    </message>
    <message>
        <source>Continuous</source>
        <translation>Terus-menerus</translation>
    </message>
</context>
</TS>
