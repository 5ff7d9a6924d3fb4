package analytics

import (
	"fmt"
	"math"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"scolarite/stream"

	"scolarite/domain"
)

// Output file names (the school's report names, in French).
const (
	ChartFile      = "age_distribution.png"
	ReportMarkdown = "rapport_analyse_etudiants.md"
	ReportPDF      = "rapport_analyse_etudiants.pdf"
)

// section is one part of the report, rendered alike in Markdown and PDF.
type section struct {
	title string
	lines []string   // paragraphs or list items
	list  bool       // lines are list items
	table [][]string // first row is the header
	right []bool     // right-aligned columns of table
	image string     // a chart under the section
}

// reportTitle is the report's heading.
const reportTitle = "Rapport d'analyse des étudiants : âge par filière"

// sections builds the report's content once for both renderers.
func (d *Document) sections() []section {
	r, o := d.Report, d.Options
	mode := fmt.Sprintf("jusqu'au calme (aucun message pendant %s)", durationFR(d.idle()))
	switch {
	case o.Consume.MaxMessages > 0:
		mode = fmt.Sprintf("au plus %s messages (--max-messages)", count(o.Consume.MaxMessages))
	case o.Consume.Follow:
		mode = "en continu (--follow), rapport mis à jour au fil de l'eau"
	case d.SparkVersion != "":
		mode = "à la fin du sujet au lancement (lecture par lot de Spark)"
	}
	engine := "en processus (Go, partitions en parallèle)"
	if d.Engine != "" {
		engine = d.Engine
	}
	cfg := append(configRows(o), []string{"Moteur de calcul", engine}, []string{"Âge minimum (exclu)", strconv.Itoa(r.MinAge)},
		[]string{"Arrêt", mode}, []string{"Base SQLite", d.DBPath})

	rate := 0.0
	if d.Consumed.Busy > 0 {
		rate = float64(d.Consumed.Read) / d.Consumed.Busy.Seconds()
	}
	extraction := []string{
		fmt.Sprintf("Messages lus depuis le début du sujet : %s (dont %s pendant cette exécution, lus et traités en %s, soit %s messages/s).",
			count(r.Read), count(d.Consumed.Read), durationFR(d.Consumed.Busy), count(int64(rate))),
		fmt.Sprintf("Formats reconnus : %s événements Scolarité (JSON), %s messages JSON de l'ancien format, %s lignes CSV de l'ancien format.",
			count(d.Partial.Formats[FormatEvent]), count(d.Partial.Formats[FormatOldJSON]), count(d.Partial.Formats[FormatOldCSV])),
		fmt.Sprintf("Messages rejetés vers %s (raison dans l'en-tête « %s ») : %s.", o.Kafka.DLQTopic(), HeaderReason, count(r.Rejected)),
	}
	if o.Embedded {
		extraction = append(extraction, fmt.Sprintf("Courtier embarqué : %s étudiants de la base publiés comme événements student.created avant l'analyse.", count(int64(o.Published))))
	}
	transformation := []string{
		"Noms et prénoms en majuscules ; filière et classe sans espaces superflus.",
		"Un étudiant par matricule (clé du message) : le dernier événement donne sa filière et son âge, student.deleted le retire ; un message sans clé (anciens formats) est un étudiant.",
		fmt.Sprintf("Filtre : étudiants strictement plus âgés que %d ans. Messages retenus : %s ; écartés par le filtre : %s.", r.MinAge, count(r.Kept), count(r.Filtered)),
		"Enregistrements transformés stockés dans la table records (idempotente sur sujet / partition / offset) ; offsets validés seulement après la transaction SQLite.",
	}
	results := [][]string{{"Filière", "Effectif", "Moyenne", "Écart-type", "Min", "Q1", "Médiane", "Q3", "Max"}}
	for _, m := range r.Majors {
		std := "—"
		if m.Std != nil {
			std = num(*m.Std, 2)
		}
		results = append(results, []string{m.Major, count(m.Students), num(m.Mean, 2), std,
			num(m.Min, 0), num(m.Q1, 2), num(m.Median, 2), num(m.Q3, 2), num(m.Max, 0)})
	}
	mean := "—"
	if r.Mean != nil {
		mean = num(*r.Mean, 2) + " ans"
	}
	stats := []string{
		"Âge moyen global : " + mean,
		"Étudiants retenus : " + count(r.Students) + fmt.Sprintf(" dans %d filière(s)", len(r.Majors)),
		fmt.Sprintf("Messages : %s lus, %s rejetés, %s filtrés, %s retenus", count(r.Read), count(r.Rejected), count(r.Filtered), count(r.Kept)),
		"Quartiles et médiane exacts, par interpolation linéaire entre statistiques d'ordre ; écart-type d'échantillon (n − 1).",
	}
	files := []string{
		ChartFile + " : boîte à moustaches de l'âge par filière",
		ReportMarkdown + " : ce rapport (Markdown)",
		ReportPDF + " : ce rapport (PDF)",
		filepath.Base(d.DBPath) + " : enregistrements transformés (records), tableau par filière (major_stats, reports)",
	}
	right := []bool{false, true, true, true, true, true, true, true, true}
	return []section{
		{title: "Date", lines: []string{r.GeneratedAt.In(time.Local).Format("02/01/2006 15:04:05 MST")}},
		{title: "Outils", list: true, lines: d.tools()},
		{title: "Configuration", table: cfg},
		{title: "Extraction", list: true, lines: extraction},
		{title: "Transformation", list: true, lines: transformation},
		{title: "Résultats par filière", table: results, right: right, image: ChartFile},
		{title: "Statistiques", list: true, lines: stats},
		{title: "Fichiers générés", list: true, lines: files},
	}
}

// configRows is the cluster's configuration in French, without secrets:
// of the SASL password only whether one is set.
func configRows(o Options) [][]string {
	french := stream.Words{Embedded: "courtier embarqué (kfake)", Yes: "oui", No: "non", CA: "autorité",
		ClientCert: "certificat client", None: "aucun", User: "utilisateur", Password: "mot de passe"}
	labels := map[string]string{"brokers": "Courtiers Kafka", "topic": "Sujet (topic)", "dlq": "Sujet des rejets",
		"group": "Groupe de consommateurs", "tls": "TLS", "sasl": "SASL"}
	rows := [][]string{{"Paramètre", "Valeur"}}
	for _, kv := range o.Kafka.DescribeIn(french) {
		value := kv[1]
		if kv[0] == "brokers" && o.Embedded {
			value = french.Embedded + " " + strings.Join(o.Kafka.Brokers, ", ")
		}
		rows = append(rows, []string{labels[kv[0]], value})
	}
	return rows
}

func (d *Document) idle() time.Duration {
	if d.Options.Consume.Idle > 0 {
		return d.Options.Consume.Idle
	}
	return stream.DefaultIdle
}

// tools names the programs and libraries, with the versions built in.
func (d *Document) tools() []string {
	versions := map[string]string{}
	goVersion := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVersion = bi.GoVersion
		for _, m := range bi.Deps {
			versions[m.Path] = m.Version
		}
	}
	v := func(path string) string {
		if s := versions[path]; s != "" {
			return " " + s
		}
		return ""
	}
	var spark []string
	if d.SparkVersion != "" {
		spark = []string{"Apache Spark " + d.SparkVersion + " (Spark SQL, source Kafka) par Spark Connect avec spark-connect-go" + v("github.com/apache/spark-connect-go")}
	}
	return append(spark,
		"Scolarité, commande scolarite analytics (Go "+strings.TrimPrefix(goVersion, "go")+")",
		"Apache Kafka (protocole) avec franz-go"+v("github.com/twmb/franz-go")+" ; courtier embarqué kfake quand aucun n'est configuré",
		"SQLite avec modernc.org/sqlite"+v("modernc.org/sqlite"),
		"Graphique : gonum.org/v1/plot"+v("gonum.org/v1/plot")+" ; PDF : go-pdf/fpdf"+v("codeberg.org/go-pdf/fpdf")+" (police Liberation Sans)",
	)
}

// num writes v with the French decimal comma.
func num(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	return domain.FormatDecimal(v, decimals, true)
}

// count writes n with a space every three digits (French style).
func count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func durationFR(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return num(d.Seconds(), 1) + " s"
}
